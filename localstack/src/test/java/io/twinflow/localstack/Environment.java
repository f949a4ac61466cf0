package io.twinflow.localstack;

import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.resources.PipelineResources;
import io.twinflow.resources.ServiceEndpoints;

/**
 * A place the pipeline can run: endpoints, region and credentials of Kinesis, DynamoDB, S3 and SQS, and
 * the creation of a pipeline's resources there. The scenarios see nothing else, which is what lets one
 * scenario list run unchanged on every environment.
 */
interface Environment extends AutoCloseable {

    /** Shown in test reports and failure messages. */
    String name();

    ServiceEndpoints endpoints();

    /** Every environment creates resources the one way the init step does; one place to change if that ever differs. */
    default PipelineResources.Created createResources(PipelineSpec spec) {
        return PipelineResources.create(spec, endpoints());
    }

    /** Stops whatever the environment started. */
    @Override
    void close();
}
