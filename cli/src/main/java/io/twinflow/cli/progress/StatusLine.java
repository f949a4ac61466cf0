package io.twinflow.cli.progress;

import java.io.PrintStream;

/**
 * One line of progress on stderr for work whose total is not known up front (the loader's objects, a
 * rollup's child JVM, a Glue job run): a spinner, a text the work updates, and the elapsed time, redrawn
 * twice a second by a daemon thread so that it moves even while the work is silent.
 */
public final class StatusLine implements AutoCloseable {

    private static final String SPINNER = "|/-\\";

    private final PrintStream out;
    private final String label;
    private final long startNanos = System.nanoTime();
    private final Thread ticker;
    private volatile String text = "";
    private int frame;
    private int lastLength;

    public StatusLine(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        this.ticker = new Thread(() -> {
            try {
                while (true) {
                    draw(false);
                    Thread.sleep(500);
                }
            } catch (InterruptedException stopped) {
                // closed
            }
        }, "twinflow-status-line");
        ticker.setDaemon(true);
        ticker.start();
    }

    public void set(String text) {
        this.text = text;
    }

    private synchronized void draw(boolean last) {
        String line = String.format("%s %s %s  %.1f s", last ? " " : SPINNER.charAt(frame++ % SPINNER.length()), label, text,
                (System.nanoTime() - startNanos) / 1e9);
        // Pad over the previous, longer line: \r does not clear it.
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        if (last) {
            out.println();
        }
        out.flush();
    }

    @Override
    public void close() {
        ticker.interrupt();
        try {
            ticker.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        draw(true);
    }
}
