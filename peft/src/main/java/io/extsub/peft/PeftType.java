package io.extsub.peft;

import java.util.Optional;

/** The parameter-efficient module types the paper applies Ext-Sub to. */
public enum PeftType {
    LORA("LORA"), IA3("IA3"), PREFIX_TUNING("PREFIX_TUNING");

    private final String configName;

    PeftType(String configName) {
        this.configName = configName;
    }

    /** The {@code peft_type} spelling in adapter_config.json. */
    public String configName() {
        return configName;
    }

    public static Optional<PeftType> fromConfigName(String name) {
        for (PeftType t : values()) {
            if (t.configName.equalsIgnoreCase(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
