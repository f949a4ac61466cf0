package io.twinflow.local.schedule;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * EventBridge Scheduler in miniature: fires each job at the times of its {@link CronExpression}. A job
 * runs on its own worker, so a long rollup never delays the hourly loader; a fire time that comes while
 * the same job is still running is skipped and logged (the jobs are idempotent and the next run picks
 * up the work), where AWS would start a second, concurrent run.
 */
public final class LocalScheduler implements AutoCloseable {

    /** What is fired, with the scheduled time (not the wall clock at start) as its input. */
    public record Job(String name, CronExpression cron, Consumer<Instant> task) {
    }

    /** Waits until the clock reaches an instant; tests advance a fake clock instead of sleeping. */
    public interface Sleeper {
        void sleepUntil(Instant when) throws InterruptedException;
    }

    private final List<Job> jobs;
    private final Clock clock;
    private final Sleeper sleeper;
    private final PrintStream log;
    private final Executor workers;
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final Thread loop;
    private volatile boolean closed;

    /** @param workers runs the jobs; shut down on close when it is an {@link ExecutorService} */
    public LocalScheduler(List<Job> jobs, Clock clock, Sleeper sleeper, Executor workers, PrintStream log) {
        this.jobs = List.copyOf(jobs);
        this.clock = clock;
        this.sleeper = sleeper;
        this.workers = workers;
        this.log = log;
        this.loop = new Thread(this::loop, "twinflow-scheduler");
        this.loop.setDaemon(true);
    }

    /** A scheduler on the system clock, each run on a thread of its own. */
    public static LocalScheduler systemClock(List<Job> jobs, PrintStream log) {
        Clock clock = Clock.systemUTC();
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "twinflow-scheduled-job");
            t.setDaemon(true);
            return t;
        });
        return new LocalScheduler(jobs, clock, when -> {
            long millis = Duration.between(clock.instant(), when).toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        }, workers, log);
    }

    public LocalScheduler start() {
        for (Job job : jobs) {
            log.printf("%s scheduler: %s %s, next at %s%n", clock.instant(), job.name(), job.cron(),
                    job.cron().next(clock.instant()).map(Instant::toString).orElse("never"));
        }
        loop.start();
        return this;
    }

    private void loop() {
        List<Instant> next = new ArrayList<>();
        Instant now = clock.instant();
        for (Job job : jobs) {
            next.add(job.cron().next(now).orElse(null));
        }
        while (!closed) {
            int due = -1;
            for (int i = 0; i < jobs.size(); i++) {
                if (next.get(i) != null && (due < 0 || next.get(i).isBefore(next.get(due)))) {
                    due = i;
                }
            }
            if (due < 0) {
                return; // no job ever fires again
            }
            Instant at = next.get(due);
            try {
                // Sleep in slices, so that a clock jump (suspend, NTP) is noticed within a minute.
                Instant wakeUp = at.isAfter(clock.instant().plusSeconds(60)) ? clock.instant().plusSeconds(60) : at;
                sleeper.sleepUntil(wakeUp);
            } catch (InterruptedException e) {
                return;
            }
            if (closed || clock.instant().isBefore(at)) {
                continue;
            }
            fire(jobs.get(due), at);
            next.set(due, jobs.get(due).cron().next(at).orElse(null));
        }
    }

    private void fire(Job job, Instant scheduledAt) {
        if (running.putIfAbsent(job.name(), Boolean.TRUE) != null) {
            log.printf("%s scheduler: %s due at %s skipped, the previous run is still going%n", clock.instant(), job.name(), scheduledAt);
            return;
        }
        workers.execute(() -> {
            try {
                log.printf("%s scheduler: %s fired for %s%n", clock.instant(), job.name(), scheduledAt);
                job.task().accept(scheduledAt);
            } catch (RuntimeException | Error e) {
                // Errors too: a job thread that dies silently would leave the log saying only "fired"
                // (seen when the jars under a running stack were rebuilt). The next fire tries again.
                log.printf("%s scheduler: %s failed: %s%n", clock.instant(), job.name(), e);
            } finally {
                running.remove(job.name());
            }
        });
    }

    /** Stops firing and waits briefly for running jobs; a rollup child JVM is stopped by its own owner. */
    @Override
    public void close() {
        closed = true;
        loop.interrupt();
        try {
            loop.join(5_000);
            if (workers instanceof ExecutorService pool) {
                pool.shutdownNow();
                pool.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
