package io.twinflow.local.runtime;

/** Where the event source mapping reports records it gives up on (the on-failure destination). */
@FunctionalInterface
public interface FailureDestination {

    /** @param invocationRecord the JSON document Lambda would send, see {@link OnFailureRecord} */
    void send(String invocationRecord);
}
