package io.twinflow.local.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void withoutATerminalItWritesWholeLinesNotCarriageReturnRedraws() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        SendLedger ledger = new SendLedger();
        for (int done = 1; done <= 1000; done++) {
            bar.update(done, 1000, ledger);
        }
        String log = bytes.toString(StandardCharsets.UTF_8);

        assertThat(log).doesNotContain("\r");
        // The first update and the last; the ones in between fall inside the ten-second interval.
        assertThat(log.lines()).hasSize(2);
        assertThat(log.lines().toList().get(1)).contains("100%", "1000/1000");
    }

    @Test
    void onATerminalItRedrawsOneLineInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.update(1, 2, new SendLedger());
        bar.update(2, 2, new SendLedger());

        String log = bytes.toString(StandardCharsets.UTF_8);
        assertThat(log).startsWith("\r[").endsWith(System.lineSeparator());
        // Two draws, one newline: the second overwrote the first.
        assertThat(log.chars().filter(c -> c == '\r').count()).isEqualTo(2);
        assertThat(log.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }
}
