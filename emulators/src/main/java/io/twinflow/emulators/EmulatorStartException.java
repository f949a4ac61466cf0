package io.twinflow.emulators;

/** An emulator did not come up; the message says which one and where it was looked for. */
public class EmulatorStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EmulatorStartException(String message) {
        super(message);
    }

    public EmulatorStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
