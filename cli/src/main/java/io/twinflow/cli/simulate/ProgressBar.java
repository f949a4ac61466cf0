package io.twinflow.cli.simulate;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most five times a second. */
public final class ProgressBar implements FleetSimulator.Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(long done, long total, SendLedger ledger) {
        long now = System.nanoTime();
        boolean last = done >= total;
        if (!last && now - lastDrawNanos < 200_000_000L) {
            return;
        }
        lastDrawNanos = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        double seconds = Math.max(0.001, (now - startNanos) / 1e9);
        out.printf("\r[%s%s] %3d%% %d/%d  %.0f rec/s  dup %d  bad %d  late %d",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done / Math.max(1, total), done, total,
                done / seconds, ledger.duplicates(), ledger.badTotal(), ledger.late());
        if (last) {
            out.println();
        }
        out.flush();
    }
}
