package io.twinflow.localstack;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.resources.PipelineResources;
import io.twinflow.resources.ServiceEndpoints;

/**
 * A place the pipeline can run: endpoints, region and credentials of Kinesis, DynamoDB, S3 and SQS, the
 * creation of a pipeline's resources there, and the stream source the pipeline reads (Kinesis unless the
 * environment says otherwise). The scenarios see nothing else, which is what lets one scenario list run
 * unchanged on every environment and over either source.
 */
interface Environment extends AutoCloseable {

    /** Shown in test reports and failure messages. */
    String name();

    ServiceEndpoints endpoints();

    /** Every environment creates resources the one way the init step does; one place to change if that ever differs. */
    default PipelineResources.Created createResources(PipelineSpec spec) {
        return PipelineResources.create(spec, endpoints());
    }

    /** The stream of a pipeline whose resources {@link #createResources} created: its Kinesis stream by default. */
    default SourceUnderTest openSource(PipelineSpec spec) {
        return new KinesisUnderTest(endpoints(), spec);
    }

    /** Stops whatever the environment started. */
    @Override
    void close();
}
