package io.twinflow.core.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class UserMistakeExceptionTest {

    @Test
    void keepsItsOneLineMessageAndCause() {
        IOException cause = new IOException("disk full");
        UserMistakeException e = new UserMistakeException("cannot write x: free some space", cause);
        assertThat(e).hasMessage("cannot write x: free some space").hasCause(cause);
    }

    @Test
    void joinsTheLinesOfACausesTextIntoOne() {
        assertThat(new UserMistakeException("cannot start dynalite: npm said\n  ERR! network\r\nretry")
                .getMessage()).isEqualTo("cannot start dynalite: npm said ERR! network retry");
    }

    @Test
    void refusesAnEmptyMessage() {
        assertThatThrownBy(() -> new UserMistakeException(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserMistakeException(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
