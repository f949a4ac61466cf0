package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/** The whole Twinflow pipeline in one stack: the constructs below, wired, plus the outputs the CLI needs. */
public final class TwinflowStack extends Stack {

    public final Storage storage;
    public final Ingest ingest;
    public final Serving serving;
    public final StreamProcessing streamProcessing;
    public final Warehouse warehouse;
    public final Batch batch;
    public final Observability observability;
    public final LiveApi liveApi;
    /** Null unless {@code -c source=msk|both}. */
    public final MskSource msk;

    public TwinflowStack(Construct scope, String id, StackProps stackProps, StackSettings settings, Artifacts artifacts) {
        super(scope, id, stackProps);
        PipelineSpec spec = settings.spec();
        Code functionsCode = Code.fromAsset(artifacts.functionsJar().toString());
        DecoderSettings decoder = DecoderSettings.defaults();

        storage = new Storage(this, "Storage", new Storage.Props(spec, settings.removalPolicy()));
        ingest = new Ingest(this, "Ingest", new Ingest.Props(spec, settings.streamMode(), functionsCode, storage.dataKey,
                storage.raw, settings.removalPolicy()));
        serving = new Serving(this, "Serving", new Serving.Props(spec, storage.dataKey, settings.removalPolicy()));
        streamProcessing = new StreamProcessing(this, "StreamProcessing", new StreamProcessing.Props(spec, decoder, functionsCode,
                ingest.stream, serving, storage.quarantine, storage.dataKey, settings.removalPolicy()));
        warehouse = new Warehouse(this, "Warehouse", new Warehouse.Props(spec, storage.dataKey, storage.raw, storage.curated,
                settings.removalPolicy()));
        batch = new Batch(this, "Batch", new Batch.Props(spec, decoder, functionsCode, artifacts, storage, warehouse,
                settings.removalPolicy()));
        liveApi = new LiveApi(this, "LiveApi", new LiveApi.Props(spec, functionsCode, serving, storage.dataKey,
                settings.apiRateLimit(), settings.apiBurstLimit(), settings.removalPolicy()));
        msk = settings.source().msk() ? new MskSource(this, "Msk", new MskSource.Props(spec, functionsCode, warehouse.vpc,
                streamProcessing, storage.dataKey, storage.raw)) : null;
        observability = new Observability(this, "Observability", new Observability.Props(spec, storage.dataKey,
                settings.alarmEmail(), ingest.stream, ingest.archive, ingest.archiveFramer, streamProcessing, batch, settings.tracing(), msk));

        output("StreamName", ingest.stream.getStreamName());
        output("DeviceStateTable", serving.deviceState.getTableName());
        output("WindowTable", serving.deviceWindows.getTableName());
        output("AlertTable", serving.alerts.getTableName());
        output("RawBucket", storage.raw.getBucketName());
        output("CuratedBucket", storage.curated.getBucketName());
        output("QuarantineBucket", storage.quarantine.getBucketName());
        output("WarehouseWorkgroup", warehouse.workgroupName);
        output("WarehouseDatabase", spec.warehouse().database());
        output("WarehouseSecretArn", warehouse.adminSecret.getSecretArn());
        output("AlarmTopicArn", observability.alarmTopic.getTopicArn());
        output("DashboardName", spec.prefix() + "-pipeline");
        output("LiveApiUrl", liveApi.url());
        if (msk != null) {
            output("MskClusterArn", msk.cluster.getAttrArn());
            output("MskTopic", spec.stream().name());
        }

        suppressGrantWildcards();
    }

    /**
     * Redshift Serverless needs subnets in three Availability Zones. An environment-agnostic stack
     * (no account and region at synth, so synth runs offline) otherwise gets two; these three are
     * resolved by CloudFormation in whatever region the stack is deployed to.
     */
    @Override
    public List<String> getAvailabilityZones() {
        return List.of(Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs()), Fn.select(2, Fn.getAzs()));
    }

    private void output(String id, String value) {
        CfnOutput.Builder.create(this, id).value(value).build();
    }

    /**
     * The CDK grants used throughout produce resource wildcards that are already as narrow as the
     * service allows; each pattern below is one of them. Wildcard actions on "*" stay unsuppressed.
     */
    private void suppressGrantWildcards() {
        NagSuppressions.addStackSuppressions(this, List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Object-level grants (bucket.grantRead/grantPut/grantReadWrite) must name the objects "
                                + "of one bucket, under one prefix where the grant takes one: arn/<prefix>*.")
                        .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::<Storage[A-Za-z0-9]+\\.Arn>\\/.*\\*$/").build()))
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("CDK's S3 and KMS grants use action groups (s3:GetObject*, s3:List*, s3:Abort*, "
                                + "s3:DeleteObject*, kms:GenerateDataKey*, kms:ReEncrypt*), always on named resources.")
                        .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Action::(s3|kms):[A-Za-z]+\\*$/").build()))
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("CDK's table grants (the stream processor's grantReadWriteData) name a table's indexes as "
                                + "<table arn>/index/*; the alert table has one index (alertsByHour), so the pattern names "
                                + "exactly it. The live API's own grant names the index in full.")
                        .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::<ServingAlerts[A-Za-z0-9]+\\.Arn>\\/index\\/\\*$/").build()))
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("The CDK asset bucket grant (Glue reads its own jar and script) names the bootstrap "
                                + "bucket's objects; asset keys are content hashes unknown before synth.")
                        .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::arn:<AWS::Partition>:s3:::cdk-.*\\/\\*$/").build()))
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Glue names its log groups per security configuration and role under /aws-glue/; "
                                + "the grant is limited to that path in this account and region.")
                        .appliesTo(List.of("Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws-glue/*"))
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("Data API DescribeStatement/GetStatementResult/CancelStatement/ListStatements and "
                                + "cloudwatch:PutMetricData accept no resource ARN; both are narrowed by conditions "
                                + "(the caller's own statements; the Glue metric namespace).")
                        .appliesTo(List.of("Resource::*"))
                        .build()));
    }
}
