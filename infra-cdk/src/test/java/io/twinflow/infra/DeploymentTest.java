package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;

import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stack deploys the sizes {@link PipelineSpec.Deployment} states, which {@code twinflow tradeoff} prices: a
 * literal typed into a construct instead would make the cost report describe another stack.
 */
class DeploymentTest {

    private static final PipelineSpec.Deployment DEPLOYED = SPEC.deployment();

    @Test
    void functionsHaveTheStatedMemoryAndArchitecture() {
        String arch = DEPLOYED.lambdaOnGraviton() ? "arm64" : "x86_64";
        for (var function : List.of(Map.entry(StreamProcessing.HANDLER, DEPLOYED.streamProcessorMemoryMb()),
                Map.entry(Batch.LOADER_HANDLER, DEPLOYED.batchLoaderMemoryMb()),
                Map.entry(Ingest.FRAMER_HANDLER, DEPLOYED.archiveFramerMemoryMb()))) {
            TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", function.getKey(),
                    "MemorySize", function.getValue(), "Architectures", List.of(arch)));
        }
        TEMPLATE.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", Batch.LOADER_HANDLER,
                "Timeout", (int) DEPLOYED.batchLoaderTimeout().toSeconds()));
    }

    @Test
    void theRollupAndTheWarehouseHaveTheStatedCapacity() {
        TEMPLATE.hasResourceProperties("AWS::Glue::Job", Map.of("WorkerType", DEPLOYED.glueWorkerType(),
                "NumberOfWorkers", DEPLOYED.glueWorkers(), "Timeout", (int) DEPLOYED.glueTimeout().toMinutes()));
        TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Workgroup", Map.of("BaseCapacity", DEPLOYED.warehouseBaseRpu()));
        TEMPLATE.hasResourceProperties("AWS::Kinesis::Stream", Map.of("StreamModeDetails",
                Map.of("StreamMode", DEPLOYED.streamOnDemand() ? "ON_DEMAND" : "PROVISIONED")));
    }
}
