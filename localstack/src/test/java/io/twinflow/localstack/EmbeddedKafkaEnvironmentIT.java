package io.twinflow.localstack;

/**
 * The scenarios over the Kafka source: the in-process emulators with Apache Kafka's broker (KRaft, a JVM
 * of its own) feeding the pipeline instead of Kinesis. No Docker needed, so they run in every build; the
 * container environments keep Kinesis, as LocalStack has Amazon MSK only in its paid edition.
 */
class EmbeddedKafkaEnvironmentIT extends EnvironmentScenarios {

    @Override
    protected Environment startEnvironment() {
        return EmbeddedEnvironment.withKafka();
    }
}
