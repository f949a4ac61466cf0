package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
     * The job argument that carries the schedule's time: Scheduler cannot compute a date, so the job
     * has to derive the day to roll up from it (and {@code --lateness}) when {@code --date} is absent.
     */
    static final String SCHEDULED_TIME_ARGUMENT = "--scheduled-time";

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
        PipelineSpec spec = props.spec();
        Storage storage = props.storage();
        Warehouse warehouse = props.warehouse();
        IKey key = storage.dataKey;

        loader = new JavaFunction(this, "Loader", new JavaFunction.Props(
                "Twinflow batch-loader: new raw objects into Redshift (COPY, staging, MERGE, load log)",
                LOADER_HANDLER, props.functionsCode(), 512,
                // COPY and MERGE run in Redshift; the function mostly waits on the Data API.
                Duration.minutes(10),
                // The names FunctionSettings and RedshiftDataApiSettings.fromEnvironment read.
                props.decoder().functionEnvironment(Map.of("TWINFLOW_PREFIX", spec.prefix(),
                        "TWINFLOW_RAW_BUCKET", storage.raw.getBucketName(),
                        "TWINFLOW_REDSHIFT_WORKGROUP", warehouse.workgroupName,
                        "TWINFLOW_REDSHIFT_DATABASE", spec.warehouse().database(),
                        "TWINFLOW_REDSHIFT_SECRET_ARN", warehouse.adminSecret.getSecretArn(),
                        "TWINFLOW_REDSHIFT_COPY_ROLE_ARN", warehouse.copyRole.getRoleArn(),
                        "TWINFLOW_REDSHIFT_STAGING_BUCKET", storage.raw.getBucketName(),
                        "TWINFLOW_REDSHIFT_STAGING_PREFIX", STAGING_PREFIX)),
                key));
        storage.raw.grantRead(loader.role, spec.buckets().rawPrefix() + "*");
        storage.raw.grantReadWrite(loader.role, STAGING_PREFIX + "*");
        warehouse.grantDataApi(loader.role);

        rollupRole = Role.Builder.create(this, "RollupRole")
                .assumedBy(new ServicePrincipal("glue.amazonaws.com"))
                .description("Twinflow daily-rollup Glue job")
                .build();
        storage.raw.grantRead(rollupRole, spec.buckets().rawPrefix() + "*");
        storage.curated.grantReadWrite(rollupRole);
        warehouse.grantDataApi(rollupRole);
        key.grantEncryptDecrypt(rollupRole);
        rollupRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:AssociateKmsKey"))
                .resources(List.of(Stack.of(this).formatArn(ArnComponents.builder()
                        .service("logs").resource("log-group").resourceName("/aws-glue/*")
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build())))
                .build());
        rollupRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", "Glue")))
                .build());

        Asset jar = Asset.Builder.create(this, "RollupJar").path(props.artifacts().glueJar().toString()).build();
        Asset script = Asset.Builder.create(this, "RollupEntry").path(props.artifacts().glueEntryScript().toString()).build();
        jar.grantRead(rollupRole);
        script.grantRead(rollupRole);

        String jobName = spec.prefix() + "-daily-rollup";
        securityConfiguration = CfnSecurityConfiguration.Builder.create(this, "SecurityConfiguration")
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

        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("--job-language", "scala");
        arguments.put("--class", ROLLUP_CLASS);
        arguments.put("--extra-jars", jar.getS3ObjectUrl());
        arguments.put("--raw-uri", storage.raw.s3UrlForObject(spec.buckets().rawPrefix()));
        arguments.put("--curated-uri", storage.curated.s3UrlForObject(spec.buckets().curatedPrefix()));
        arguments.put("--lateness", spec.schedules().rollupLateness().toString());
        arguments.putAll(props.decoder().jobArguments());
        arguments.put("--warehouse", "redshift-data");
        arguments.put("--workgroup", warehouse.workgroupName);
        arguments.put("--database", spec.warehouse().database());
        arguments.put("--secret-arn", warehouse.adminSecret.getSecretArn());
        // The daily summaries are staged as CSV in the curated bucket, which the COPY role can read.
        arguments.put("--staging-uri", storage.curated.s3UrlForObject(STAGING_PREFIX));
        arguments.put("--copy-role-arn", warehouse.copyRole.getRoleArn());
        // The job finds its input by date, and every write it makes is idempotent: bookmarks would only hide reruns.
        arguments.put("--job-bookmark-option", "job-bookmark-disable");
        arguments.put("--enable-continuous-cloudwatch-log", "true");
        arguments.put("--enable-metrics", "true");
        rollup = CfnJob.Builder.create(this, "Rollup")
                .name(jobName)
                .description("Twinflow daily rollup: a raw day to curated Parquet and the warehouse daily summary")
                .role(rollupRole.getRoleArn())
                .glueVersion("5.0")
                .command(CfnJob.JobCommandProperty.builder()
                        .name("glueetl")
                        .scriptLocation(script.getS3ObjectUrl())
                        .build())
                .workerType("G.1X")
                .numberOfWorkers(2)
                .timeout(60)
                .maxRetries(1)
                .executionProperty(CfnJob.ExecutionPropertyProperty.builder().maxConcurrentRuns(1).build())
                .securityConfiguration(securityConfiguration.getName())
                .defaultArguments(arguments)
                .build();

        scheduleDeadLetter = Queue.Builder.create(this, "ScheduleDeadLetter")
                .queueName(spec.queues().scheduleDeadLetter())
                .encryption(QueueEncryption.KMS)
                .encryptionMasterKey(key)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .removalPolicy(props.removalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(scheduleDeadLetter, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself the dead-letter queue of the EventBridge Scheduler targets.")
                .build()));

        // One role for both targets, so the dead-letter grant can include the KMS permissions that the
        // targets' generated roles would lack (they grant sqs:SendMessage only).
        schedulerRole = Role.Builder.create(this, "SchedulerRole")
                .assumedBy(ServicePrincipal.Builder.create("scheduler.amazonaws.com")
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                        .build())
                .description("EventBridge Scheduler: starts the Twinflow loader and rollup, dead-letters failures")
                .build();
        scheduleDeadLetter.grantSendMessages(schedulerRole);

        loaderSchedule = Schedule.Builder.create(this, "LoaderSchedule")
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

        rollupSchedule = Schedule.Builder.create(this, "RollupSchedule")
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
                        .input(ScheduleTargetInput.fromObject(Map.of(
                                "JobName", jobName,
                                "Arguments", Map.of(SCHEDULED_TIME_ARGUMENT, "<aws.scheduler.scheduled-time>"))))
                        .retryAttempts(3)
                        .maxEventAge(Duration.hours(6))
                        .deadLetterQueue(scheduleDeadLetter)
                        .build()))
                .build();
    }
}
