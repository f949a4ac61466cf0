package io.twinflow.core.error;

/**
 * A mistake the user can fix: no local stack running, a bad option value, a missing setting. The
 * message is one line that says what went wrong and how to fix it; the {@code twinflow} command
 * prints it as it is and exits with code 2. Anything else that escapes a command is a failure the
 * code does not expect (a broken invariant, a bug) and gets a stack trace instead.
 *
 * <p>It lives in core so that every module a command reaches (the local runtime, the live state,
 * the warehouse) can raise it without depending on the CLI.
 */
public final class UserMistakeException extends RuntimeException {

    public UserMistakeException(String message) {
        super(oneLine(message));
    }

    public UserMistakeException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /*
     * The CLI prints the message as its only line. Messages often carry a cause's text (an emulator's
     * or a service's), which may span lines: those are joined rather than refused, so that a user
     * mistake never turns into a crash while it is being reported.
     */
    private static String oneLine(String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a user mistake needs a message that says how to fix it");
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
