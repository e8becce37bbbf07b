package io.extsub.cli;

import java.io.PrintStream;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * {@code --debug}: lets System.Logger DEBUG records of our packages through to stderr. Without it
 * the default java.util.logging setup shows INFO and above; our code logs only at DEBUG, so
 * nothing appears.
 */
final class DebugLogging {
    private DebugLogging() {}

    // Kept strongly reachable: JUL holds loggers weakly, and a collected logger loses its level.
    private static final Logger ROOT = Logger.getLogger("io.extsub");

    static synchronized void enable(PrintStream err) {
        for (Handler old : ROOT.getHandlers()) {
            ROOT.removeHandler(old);
        }
        ROOT.setLevel(Level.FINE);
        ROOT.setUseParentHandlers(false);
        StreamHandler h = new StreamHandler(err, new SimpleFormatter()) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }
        };
        h.setLevel(Level.FINE);
        ROOT.addHandler(h);
    }
}
