package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.NoncurrentVersionTransition;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * The data key and the buckets: raw archive (Firehose writes, loader and Glue read), curated output
 * of the Glue job, quarantine of rejected records, and the server access log target of the three.
 *
 * <p>Bucket names are left to CloudFormation (S3 names are global); the functions get the real names
 * through their environment and the stack prints them as outputs.
 */
public final class Storage extends Construct {

    /** Records rejected at the edge or by the decoder are kept this long for investigation. */
    static final Duration QUARANTINE_RETENTION = Duration.days(90);

    /** One customer managed key for every store of pipeline data, so access is auditable and revocable in one place. */
    public final Key dataKey;
    public final Bucket accessLogs;
    public final Bucket raw;
    public final Bucket curated;
    public final Bucket quarantine;

    public record Props(PipelineSpec spec, RemovalPolicy removalPolicy) {
    }

    public Storage(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec.Buckets names = props.spec().buckets();

        dataKey = Key.Builder.create(this, "DataKey")
                .alias("alias/" + props.spec().prefix() + "-data")
                .description("Encrypts the Twinflow stream, tables, buckets, queues, topic, logs and warehouse")
                .enableKeyRotation(true)
                .removalPolicy(props.removalPolicy())
                .build();
        // CloudWatch Logs encrypts the stack's log groups (functions, Firehose, Glue, VPC flow logs) with
        // this key; the condition keeps that use to log groups of this account and region.
        dataKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchLogsOfThisAccount")
                .principals(List.of(new ServicePrincipal("logs." + Aws.REGION + ".amazonaws.com")))
                .actions(List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn",
                        "arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":log-group:*")))
                .build());

        // S3 server access logging cannot deliver into an SSE-KMS bucket, so this one uses SSE-S3.
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .lifecycleRules(List.of(LifecycleRule.builder().id("expire-logs").expiration(Duration.days(365)).build()))
                .removalPolicy(props.removalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(accessLogs, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This bucket is the server access log target of the data buckets; logging it into itself would loop.")
                .build()));

        raw = dataBucket("Raw", props, List.of(
                // The loader reads an hour's objects right after they land and Glue reads a day once:
                // older raw objects are only read again for a replay, so they can move to cheaper tiers.
                LifecycleRule.builder().id("raw-to-cheaper-tiers").prefix(names.rawPrefix())
                        .transitions(List.of(
                                Transition.builder().storageClass(StorageClass.INFREQUENT_ACCESS).transitionAfter(Duration.days(30)).build(),
                                Transition.builder().storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL).transitionAfter(Duration.days(90)).build()))
                        .build(),
                LifecycleRule.builder().id("expire-delivery-errors").prefix(names.errorPrefix())
                        .expiration(Duration.days(90)).build(),
                noncurrentVersions(),
                abortUploads()));
        curated = dataBucket("Curated", props, List.of(
                LifecycleRule.builder().id("curated-to-infrequent-access")
                        .transitions(List.of(Transition.builder().storageClass(StorageClass.INFREQUENT_ACCESS)
                                .transitionAfter(Duration.days(90)).build()))
                        .build(),
                noncurrentVersions(),
                abortUploads()));
        quarantine = dataBucket("Quarantine", props, List.of(
                LifecycleRule.builder().id("expire-quarantine").prefix(names.quarantinePrefix())
                        .expiration(QUARANTINE_RETENTION).build(),
                noncurrentVersions(),
                abortUploads()));
    }

    /** Versioned because these objects are the pipeline's record of truth: an overwrite or delete must be undoable. */
    private Bucket dataBucket(String id, Props props, List<LifecycleRule> rules) {
        return Bucket.Builder.create(this, id)
                .encryption(BucketEncryption.KMS)
                .encryptionKey(dataKey)
                // S3 Bucket Keys cut the KMS requests of Firehose's and Spark's many small writes.
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .minimumTlsVersion(1.2)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(id.toLowerCase() + "/")
                .lifecycleRules(rules)
                .removalPolicy(props.removalPolicy())
                .build();
    }

    private static LifecycleRule noncurrentVersions() {
        return LifecycleRule.builder().id("expire-noncurrent-versions")
                .noncurrentVersionTransitions(List.of(NoncurrentVersionTransition.builder()
                        .storageClass(StorageClass.INFREQUENT_ACCESS).transitionAfter(Duration.days(30)).build()))
                .noncurrentVersionExpiration(Duration.days(90))
                .build();
    }

    private static LifecycleRule abortUploads() {
        return LifecycleRule.builder().id("abort-incomplete-uploads")
                .abortIncompleteMultipartUploadAfter(Duration.days(7)).build();
    }
}
