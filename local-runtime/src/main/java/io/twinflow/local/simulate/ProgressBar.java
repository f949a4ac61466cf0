package io.twinflow.local.simulate;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn in place at most five times a second on a terminal; when
 * stderr goes to a file or a CI log, a plain line every ten seconds instead of carriage-return redraws.
 */
public final class ProgressBar implements FleetSimulator.Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;

    public ProgressBar(PrintStream out) {
        this(out, System.console() != null);
    }

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public void update(long done, long total, SendLedger ledger) {
        long now = System.nanoTime();
        boolean last = done >= total;
        long interval = terminal ? 200_000_000L : 10_000_000_000L;
        if (!last && lastDrawNanos != 0 && now - lastDrawNanos < interval) {
            return;
        }
        lastDrawNanos = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        double seconds = Math.max(0.001, (now - startNanos) / 1e9);
        out.printf((terminal ? "\r" : "") + "[%s%s] %3d%% %d/%d  %.0f rec/s  dup %d  bad %d  late %d",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done / Math.max(1, total), done, total,
                done / seconds, ledger.duplicates(), ledger.badTotal(), ledger.late());
        if (last || !terminal) {
            out.println();
        }
        out.flush();
    }
}
