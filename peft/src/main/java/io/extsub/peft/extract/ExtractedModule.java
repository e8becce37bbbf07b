package io.extsub.peft.extract;

/**
 * One extracted module: delta = tuned - base (rows x cols) ~ B A with B rows x rank,
 * A rank x cols; {@code relativeError} = ||delta - B A||_F / ||delta||_F (0 when delta = 0).
 */
public record ExtractedModule(String module, int rows, int cols, int rank, double relativeError) {}
