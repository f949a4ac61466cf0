package io.twinflow.local.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.local.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalSchedulerTest {

    @Test
    void firesEachJobAtItsCronTimesWithTheScheduledTimeAsInput() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T00:00:10Z"));
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch enough = new CountDownLatch(27);
        List<LocalScheduler.Job> jobs = List.of(
                new LocalScheduler.Job("loader", CronExpression.parse("cron(5 * * * ? *)"), at -> {
                    fired.add("loader " + at);
                    enough.countDown();
                }),
                new LocalScheduler.Job("rollup", CronExpression.parse("cron(30 1 * * ? *)"), at -> {
                    fired.add("rollup " + at);
                    enough.countDown();
                }));
        // Jobs run inline on the scheduler thread, so no fire can overlap a running one here.
        try (LocalScheduler scheduler = new LocalScheduler(jobs, clock, when -> clock.set(when), Runnable::run,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).start()) {
            assertThat(enough.await(10, TimeUnit.SECONDS)).isTrue();
        }
        List<String> expected = new ArrayList<>();
        for (int hour = 0; hour < 24; hour++) {
            expected.add(String.format("loader 2026-11-24T%02d:05:00Z", hour));
            if (hour == 1) {
                expected.add("rollup 2026-11-24T01:30:00Z");
            }
        }
        expected.add("loader 2026-11-25T00:05:00Z");
        expected.add("loader 2026-11-25T01:05:00Z");
        assertThat(fired.subList(0, 27)).containsExactlyElementsOf(expected);
    }

    @Test
    void aFireTimeThatComesWhileTheSameJobStillRunsIsSkippedAndLogged() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T00:00:00Z"));
        Instant stopAt = Instant.parse("2026-11-24T02:10:00Z");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch frozen = new CountDownLatch(1);
        CountDownLatch firstRunning = new CountDownLatch(1);
        List<Instant> started = new CopyOnWriteArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalScheduler.Job slow = new LocalScheduler.Job("loader", CronExpression.parse("cron(5 * * * ? *)"), at -> {
            started.add(at);
            firstRunning.countDown();
            if (started.size() == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        LocalScheduler.Sleeper sleeper = when -> {
            if (when.isAfter(stopAt)) {
                frozen.countDown();
                new CountDownLatch(1).await(); // time stops here until close interrupts
            }
            clock.set(when);
        };
        var pool = Executors.newCachedThreadPool();
        try (LocalScheduler scheduler = new LocalScheduler(List.of(slow), clock, sleeper, pool,
                new PrintStream(log, true, StandardCharsets.UTF_8)).start()) {
            assertThat(frozen.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
            // 00:05 is still running, so 01:05 and 02:05 found it busy.
            assertThat(started).containsExactly(Instant.parse("2026-11-24T00:05:00Z"));
            release.countDown();
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("loader due at 2026-11-24T01:05:00Z skipped", "loader due at 2026-11-24T02:05:00Z skipped");
    }

    @Test
    void aJobThatDiesWithAnErrorIsLoggedAndFiresAgainNextTime() throws Exception {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-24T00:00:00Z"));
        List<Instant> runs = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(2);
        LocalScheduler.Job flaky = new LocalScheduler.Job("loader", CronExpression.parse("cron(5 * * * ? *)"), at -> {
            runs.add(at);
            second.countDown();
            if (runs.size() == 1) {
                throw new NoClassDefFoundError("io/twinflow/functions/batch/BatchLoader");
            }
        });
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (LocalScheduler scheduler = new LocalScheduler(List.of(flaky), clock, when -> clock.set(when), Runnable::run,
                new PrintStream(log, true, StandardCharsets.UTF_8)).start()) {
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(runs.subList(0, 2)).containsExactly(Instant.parse("2026-11-24T00:05:00Z"), Instant.parse("2026-11-24T01:05:00Z"));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("loader failed: java.lang.NoClassDefFoundError");
    }
}
