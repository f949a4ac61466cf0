package io.twinflow.local.batch;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.local.schedule.CronExpression;
import io.twinflow.local.schedule.LocalScheduler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the deployed schedules start, as jobs for the {@link LocalScheduler}: the loader (in-process) at
 * {@code schedules.loader()}, and the rollup of the day {@code Schedules.rollupDay} names (in its own
 * JVM, as the Glue job) at {@code schedules.rollup()}.
 */
public final class BatchSchedule {

    private BatchSchedule() {
    }

    /**
     * @param log one line per fire with the job's report
     * @param rollupLog the rollup JVM's own output (Spark's logging)
     */
    public static List<LocalScheduler.Job> jobs(PipelineSpec.Schedules schedules, LocalBatch batch, PrintStream log,
                                                Path rollupLog) {
        return List.of(
                new LocalScheduler.Job("loader", CronExpression.parse(schedules.loader()), at -> {
                    LoaderReport report = batch.load(Optional.empty(), outcome -> { });
                    log.printf("%s loader: %s%n", Instant.now(), report.toMap());
                }),
                new LocalScheduler.Job("rollup", CronExpression.parse(schedules.rollup()), at -> {
                    try {
                        // As the deployed schedule starts the Glue job: its day, after the days the loader requested.
                        RollupLauncher.Result r = batch.scheduledRollup(at, rollupLog);
                        log.printf("%s rollup: %s%n", Instant.now(), r.toMap());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IllegalStateException notBuilt) {
                        log.printf("%s rollup: %s%n", Instant.now(), notBuilt.getMessage());
                    }
                }));
    }
}
