package io.twinflow.glue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawArchiveTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);

    @Test
    void readsTheHourBeforeMidnightTheDayAndEveryHourUpToAnHourPastTheLatenessBound() {
        List<String> hours = RawArchive.hourPartitions(DAY, Duration.ofDays(2));

        assertThat(hours).hasSize(1 + 24 + 48 + 1);
        assertThat(hours.get(0)).isEqualTo("dt=2026-11-22/hour=23");
        assertThat(hours.get(1)).isEqualTo("dt=2026-11-23/hour=00");
        assertThat(hours.get(24)).isEqualTo("dt=2026-11-23/hour=23");
        assertThat(hours).last().isEqualTo("dt=2026-11-26/hour=00");
        assertThat(hours.stream().map(h -> h.substring(0, h.indexOf('/'))).distinct())
                .as("one LIST walk per day directory").hasSize(5);
    }

    @Test
    void aPartialHourOfLatenessReadsThatWholeHour() {
        assertThat(RawArchive.hourPartitions(DAY, Duration.ofMinutes(61))).last().isEqualTo("dt=2026-11-24/hour=02");
        assertThat(RawArchive.hourPartitions(DAY, Duration.ofMinutes(1))).last().isEqualTo("dt=2026-11-24/hour=01");
    }

    @Test
    void listsTheWantedHoursOfEveryDayDirectoryAndSkipsDaysWithNoArrivals(@TempDir Path root) throws Exception {
        for (String key : List.of("dt=2026-11-22/hour=22/before.gz", "dt=2026-11-22/hour=23/a.gz", "dt=2026-11-23/hour=05/b.gz",
                "dt=2026-11-23/hour=05/_SUCCESS", "dt=2026-11-25/hour=23/c.gz", "dt=2026-11-26/hour=01/after.gz")) {
            Path file = root.resolve(key);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1, 2, 3});
        }

        RawArchive.Listing listing = RawArchive.list(new Configuration(), root.toUri().toString(),
                RawArchive.hourPartitions(DAY, Duration.ofDays(2)));

        assertThat(listing.paths()).extracting(p -> p.substring(p.indexOf("dt=")))
                .containsExactly("dt=2026-11-22/hour=23/a.gz", "dt=2026-11-23/hour=05/b.gz", "dt=2026-11-25/hour=23/c.gz");
        assertThat(listing.bytes()).isEqualTo(9);
    }
}
