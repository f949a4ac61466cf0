package io.twinflow.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A rejection's detail is printable ASCII of bounded length, whatever text it echoes. */
class RejectionDetailTest {

    @Test
    void plainAsciiIsKeptAsItIs() {
        String detail = "metric 'co2_ppm' is a string, not a number";
        assertThat(RejectionDetail.printable(detail)).isSameAs(detail);
    }

    @Test
    void everyOtherCharacterBecomesAnUppercaseEscape() {
        assertThat(RejectionDetail.printable("a\u0000b\n\ud800\u00e9\u007f~")).isEqualTo("a\\u0000b\\u000A\\uD800\\u00E9\\u007F~");
    }

    @Test
    void aDetailLongerThanTheLimitIsCutAndEndsInAnEllipsis() {
        assertThat(RejectionDetail.printable("x".repeat(RejectionDetail.MAX_DETAIL_CHARS)))
                .hasSize(RejectionDetail.MAX_DETAIL_CHARS).doesNotEndWith("...");
        assertThat(RejectionDetail.printable("x".repeat(RejectionDetail.MAX_DETAIL_CHARS + 1)))
                .isEqualTo("x".repeat(RejectionDetail.MAX_DETAIL_CHARS - 3) + "...");
        // The cut counts the escaped text, so 200 non-ASCII characters (1200 escaped) are cut as well.
        assertThat(RejectionDetail.printable("\u00e9".repeat(200))).hasSize(RejectionDetail.MAX_DETAIL_CHARS).endsWith("...");
    }

    @Test
    void longFieldTextIsAbbreviatedToSixtyFourCharacters() {
        assertThat(RejectionDetail.abbreviate("y".repeat(64))).isEqualTo("y".repeat(64));
        assertThat(RejectionDetail.abbreviate("y".repeat(65))).isEqualTo("y".repeat(61) + "...");
    }
}
