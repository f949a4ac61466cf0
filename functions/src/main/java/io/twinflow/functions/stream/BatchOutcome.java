package io.twinflow.functions.stream;

import java.util.List;

/**
 * @param retrySequenceNumbers the sequence numbers to report as {@code batchItemFailures}, in stream order
 */
public record BatchOutcome(List<String> retrySequenceNumbers, BatchSummary summary) {

    public BatchOutcome {
        retrySequenceNumbers = List.copyOf(retrySequenceNumbers);
    }
}
