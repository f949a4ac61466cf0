package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.core.settings.RollupArguments;
import io.twinflow.warehouse.redshift.RedshiftDataApiSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.services.glue.CfnJob;
import software.amazon.awscdk.services.glue.CfnSecurityConfiguration;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.scheduler.Schedule;
import software.amazon.awscdk.services.scheduler.ScheduleExpression;
import software.amazon.awscdk.services.scheduler.ScheduleTargetInput;
import software.amazon.awscdk.services.scheduler.targets.LambdaInvoke;
import software.amazon.awscdk.services.scheduler.targets.Universal;
import software.amazon.awscdk.services.scheduler.targets.UniversalTargetProps;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The batch path: the hourly batch-loader Lambda (new raw objects into Redshift), the daily Glue
 * rollup (raw day to curated Parquet and the warehouse summary), and the EventBridge Scheduler
 * schedules that start them, with the expressions of {@link PipelineSpec#schedules()} that the local
 * scheduler also fires, retries, and one encrypted dead-letter queue.
 */
public final class Batch extends Construct {

    static final String LOADER_HANDLER = "io.twinflow.functions.batch.BatchLoaderHandler::handleRequest";
    static final String ROLLUP_CLASS = "io.twinflow.glue.DailyRollupJob";
    /**
     * Where the loader (raw bucket) and the Glue job (curated bucket) stage COPY inputs. Not in
     * PipelineSpec yet.
     */
    static final String STAGING_PREFIX = "staging/";
    /**
     * EventBridge Scheduler hands a Lambda target exactly the input it is given. The loader therefore
     * gets the same envelope EventBridge rules deliver ({@code events/scheduled/hourly.json}), with the
     * schedule's own time, so a retried or late invocation still loads the hour it was meant for.
     */
    static final String LOADER_INPUT_TEMPLATE = "{\"version\":\"0\",\"id\":\"<aws.scheduler.execution-id>\","
            + "\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"%s\","
            + "\"time\":\"<aws.scheduler.scheduled-time>\",\"region\":\"%s\","
            + "\"resources\":[\"<aws.scheduler.schedule-arn>\"],\"detail\":{}}";

    public final JavaFunction loader;
    public final Role rollupRole;
    public final CfnSecurityConfiguration securityConfiguration;
    public final CfnJob rollup;
    public final Queue scheduleDeadLetter;
    public final Role schedulerRole;
    public final Schedule loaderSchedule;
    public final Schedule rollupSchedule;

    public record Props(PipelineSpec spec, DecoderSettings decoder, Code functionsCode, Artifacts artifacts, Storage storage,
                        Warehouse warehouse, RemovalPolicy removalPolicy) {
    }

    public Batch(Construct scope, String id, Props props) {
        super(scope, id);
        String jobName = props.spec().functions().rollupJob();
        loader = loader(props);
        rollupRole = rollupRole(props);
        Asset jar = rollupAsset("RollupJar", props.artifacts().glueJar());
        Asset script = rollupAsset("RollupEntry", props.artifacts().glueEntryScript());
        securityConfiguration = securityConfiguration(jobName, props.storage().dataKey);
        rollup = rollupJob(jobName, script, rollupArguments(props, jar));
        scheduleDeadLetter = scheduleDeadLetter(props);
        schedulerRole = schedulerRole();
        loaderSchedule = loaderSchedule(props.spec());
        rollupSchedule = rollupSchedule(props.spec(), jobName);
    }

    /** The batch-loader and its reach: the raw objects, its staging prefix and the Data API. */
    private JavaFunction loader(Props props) {
        PipelineSpec spec = props.spec();
        Storage storage = props.storage();
        Warehouse warehouse = props.warehouse();
        JavaFunction function = new JavaFunction(this, "Loader", JavaFunction.Props.builder()
                .description("Twinflow batch-loader: new raw objects into Redshift (COPY, staging, MERGE, load log)")
                .handler(LOADER_HANDLER)
                .code(props.functionsCode())
                // COPY and MERGE run in Redshift; the function mostly waits on the Data API.
                .timeout(Duration.minutes(spec.deployment().batchLoaderTimeout().toMinutes()))
                .memoryMb(spec.deployment().batchLoaderMemoryMb())
                // The names FunctionSettings and RedshiftDataApiSettings.fromEnvironment read.
                .environment(props.decoder().functionEnvironment(Map.of(FunctionEnvironment.PREFIX, spec.prefix(),
                        FunctionEnvironment.RAW_BUCKET, storage.raw.getBucketName(),
                        RedshiftDataApiSettings.ENV_WORKGROUP, warehouse.workgroupName,
                        RedshiftDataApiSettings.ENV_DATABASE, spec.warehouse().database(),
                        RedshiftDataApiSettings.ENV_SECRET_ARN, warehouse.adminSecret.getSecretArn(),
                        RedshiftDataApiSettings.ENV_COPY_ROLE_ARN, warehouse.copyRole.getRoleArn(),
                        RedshiftDataApiSettings.ENV_STAGING_BUCKET, storage.raw.getBucketName(),
                        RedshiftDataApiSettings.ENV_STAGING_PREFIX, STAGING_PREFIX)))
                .key(storage.dataKey)
                .build());
        storage.raw.grantRead(function.role, spec.buckets().rawPrefix() + "*");
        storage.raw.grantReadWrite(function.role, STAGING_PREFIX + "*");
        warehouse.grantDataApi(function.role);
        return function;
    }

    /** The Glue job's role: reads raw, writes curated, the Data API, the key, its own logs and metrics. */
    private Role rollupRole(Props props) {
        Storage storage = props.storage();
        Role role = Role.Builder.create(this, "RollupRole")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
                .description("Twinflow daily-rollup Glue job")
                .build();
        storage.raw.grantRead(role, props.spec().buckets().rawPrefix() + "*");
        storage.curated.grantReadWrite(role);
        props.warehouse().grantDataApi(role);
        storage.dataKey.grantEncryptDecrypt(role);
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"))
                .resources(List.of(Stack.of(this).formatArn(ArnComponents.builder()
                        .service("logs").resource("log-group").resourceName("/aws-glue/*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build())))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")))
                .build());
        return role;
    }

    /** Encrypts what Glue writes on the job's behalf: S3 output, CloudWatch logs, bookmarks. */
    private CfnSecurityConfiguration securityConfiguration(String jobName, IKey key) {
        return CfnSecurityConfiguration.Builder.create(this, "SecurityConfiguration")
                .name(jobName + "-encryption")
                .encryptionConfiguration(CfnSecurityConfiguration.EncryptionConfigurationProperty.builder()
                        .s3Encryptions(List.of(CfnSecurityConfiguration.S3EncryptionProperty.builder()
                                .s3EncryptionMode("SSE-KMS").kmsKeyArn(key.getKeyArn()).build()))
                        .cloudWatchEncryption(CfnSecurityConfiguration.CloudWatchEncryptionProperty.builder()
                                .cloudWatchEncryptionMode("SSE-KMS").kmsKeyArn(key.getKeyArn()).build())
                        .jobBookmarksEncryption(CfnSecurityConfiguration.JobBookmarksEncryptionProperty.builder()
                                .jobBookmarksEncryptionMode("CSE-KMS").kmsKeyArn(key.getKeyArn()).build())
                        .build())
                .build();
    }

    /** A file the job runs from, uploaded as an asset the job's role may read. */
    private Asset rollupAsset(String id, Path file) {
        Asset asset = Asset.Builder.create(this, id).path(file.toString()).build();
        asset.grantRead(rollupRole);
        return asset;
    }

    /** The Glue 5 Scala job: the entry script runs the rollup class from the jar that the arguments name. */
    private CfnJob rollupJob(String jobName, Asset script, Map<String, String> arguments) {
        return CfnJob.Builder.create(this, "Rollup")
                .name(jobName)
                .description("Twinflow daily rollup: a raw day to curated Parquet and the warehouse daily summary")
                .role(rollupRole.getRoleArn())
                .glueVersion("5.0")
                .command(CfnJob.JobCommandProperty.builder()
                        .name("glueetl")
                        .scriptLocation(script.getS3ObjectUrl())
                        .build())
                .workerType(PipelineSpec.Deployment.DEFAULT.glueWorkerType())
                .numberOfWorkers(PipelineSpec.Deployment.DEFAULT.glueWorkers())
                .timeout((int) PipelineSpec.Deployment.DEFAULT.glueTimeout().toMinutes())
                .maxRetries(1)
                .executionProperty(CfnJob.ExecutionPropertyProperty.builder().maxConcurrentRuns(1).build())
                .securityConfiguration(securityConfiguration.getName())
                .defaultArguments(arguments)
                .build();
    }

    /** Glue's own parameters, then the rollup's ({@link RollupArguments}, read by the job's JobArguments). */
    private static Map<String, String> rollupArguments(Props props, Asset jar) {
        PipelineSpec spec = props.spec();
        Storage storage = props.storage();
        Warehouse warehouse = props.warehouse();
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("--job-language", "scala");
        arguments.put("--class", ROLLUP_CLASS);
        arguments.put("--extra-jars", jar.getS3ObjectUrl());
        arguments.put(RollupArguments.RAW_URI, storage.raw.s3UrlForObject(spec.buckets().rawPrefix()));
        arguments.put(RollupArguments.CURATED_URI, storage.curated.s3UrlForObject(spec.buckets().curatedPrefix()));
        arguments.put(RollupArguments.LATENESS, spec.schedules().rollupLateness().toString());
        arguments.putAll(props.decoder().jobArguments());
        arguments.put(RollupArguments.WAREHOUSE, RollupArguments.WAREHOUSE_REDSHIFT_DATA);
        arguments.put(RollupArguments.WORKGROUP, warehouse.workgroupName);
        arguments.put(RollupArguments.DATABASE, spec.warehouse().database());
        arguments.put(RollupArguments.SECRET_ARN, warehouse.adminSecret.getSecretArn());
        // The daily summaries are staged as CSV in the curated bucket, which the COPY role can read.
        arguments.put(RollupArguments.STAGING_URI, storage.curated.s3UrlForObject(STAGING_PREFIX));
        arguments.put(RollupArguments.COPY_ROLE_ARN, warehouse.copyRole.getRoleArn());
        // The job finds its input by date, and every write it makes is idempotent: bookmarks would only hide reruns.
        arguments.put("--job-bookmark-option", "job-bookmark-disable");
        arguments.put("--enable-continuous-cloudwatch-log", "true");
        arguments.put("--enable-metrics", "true");
        return arguments;
    }

    private Queue scheduleDeadLetter(Props props) {
        Queue queue = Queue.Builder.create(this, "ScheduleDeadLetter")
                .queueName(props.spec().queues().scheduleDeadLetter())
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(props.storage().dataKey)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(props.removalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(queue, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself the dead-letter queue of the EventBridge Scheduler targets.")
                .build()));
        return queue;
    }

    /**
     * One role for both targets, so the dead-letter grant can include the KMS permissions that the
     * targets' generated roles would lack (they grant sqs:SendMessage only).
     */
    private Role schedulerRole() {
        Role role = Role.Builder.create(this, "SchedulerRole")
                .assumedBy(ServicePrincipal.Builder.create("scheduler.amazonaws.com")
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                        .build())
                .description("EventBridge Scheduler: starts the Twinflow loader and rollup, dead-letters failures")
                .build();
        scheduleDeadLetter.grantSendMessages(role);
        return role;
    }

    private Schedule loaderSchedule(PipelineSpec spec) {
        return Schedule.Builder.create(this, "LoaderSchedule")
                .description("Hourly: load new raw objects into Redshift")
                .schedule(ScheduleExpression.expression(spec.schedules().loader(), TimeZone.ETC_UTC))
                .target(LambdaInvoke.Builder.create(loader.alias)
                        .role(schedulerRole)
                        .input(ScheduleTargetInput.fromText(String.format(LOADER_INPUT_TEMPLATE, Aws.ACCOUNT_ID, Aws.REGION)))
                        .retryAttempts(3)
                        // The next hour's run picks up what this one missed, so an old attempt is no use.
                        .maxEventAge(Duration.hours(1))
                        .deadLetterQueue(scheduleDeadLetter)
                        .build())
                .build();
    }

    /**
     * Starts the job with the schedule's time only: Scheduler cannot compute a date, so the job derives
     * the day to roll up from it (and {@code --lateness}); the other arguments are the job's defaults.
     */
    private Schedule rollupSchedule(PipelineSpec spec, String jobName) {
        return Schedule.Builder.create(this, "RollupSchedule")
                .description("Daily: roll up a raw day into curated Parquet and the warehouse summary")
                .schedule(ScheduleExpression.expression(spec.schedules().rollup(), TimeZone.ETC_UTC))
                .target(new Universal(UniversalTargetProps.builder()
                        .service("glue")
                        .action("startJobRun")
                        .policyStatements(List.of(PolicyStatement.Builder.create()
                                .actions(List.of("glue:StartJobRun"))
                                .resources(List.of(Stack.of(this).formatArn(ArnComponents.builder()
                                        .service("glue").resource("job").resourceName(jobName).build())))
                                .build()))
                        .role(schedulerRole)
                        // Sorted: Map.of's order changes from one JVM to the next, and so would the template.
                        .input(ScheduleTargetInput.fromObject(new TreeMap<>(Map.of(
                                "JobName", jobName,
                                "Arguments", Map.of(RollupArguments.SCHEDULED_TIME, "<aws.scheduler.scheduled-time>")))))
                        .retryAttempts(3)
                        .maxEventAge(Duration.hours(6))
                        .deadLetterQueue(scheduleDeadLetter)
                        .build()))
                .build();
    }
}
