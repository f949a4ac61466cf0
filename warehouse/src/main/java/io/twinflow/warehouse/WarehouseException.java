package io.twinflow.warehouse;

/** A warehouse operation failed; its transaction was rolled back. */
public class WarehouseException extends RuntimeException {

    public WarehouseException(String message, Throwable cause) {
        super(message, cause);
    }

    public WarehouseException(String message) {
        super(message);
    }
}
