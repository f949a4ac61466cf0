package io.twinflow.local.runtime;

import software.amazon.awssdk.services.sqs.SqsClient;

/** The on-failure destination as an SQS queue, which is what the stack configures. */
public final class SqsFailureDestination implements FailureDestination {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsFailureDestination(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String invocationRecord) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(invocationRecord));
    }
}
