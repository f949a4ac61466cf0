package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.bucketId;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** {@link Storage} in the synthesized default stack: the buckets. */
class StorageTest {

    @Test
    void everyBucketBlocksPublicAccessIsEncryptedAndRefusesPlainHttp() {
        Map<String, Map<String, Object>> buckets = TEMPLATE.findResources("AWS::S3::Bucket");
        assertThat(buckets).hasSize(4);
        for (String id : buckets.keySet()) {
            TEMPLATE.hasResource("AWS::S3::Bucket", Map.of("Properties", Match.objectLike(Map.of(
                    "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                            "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                    "BucketEncryption", Match.anyValue()))));
            TEMPLATE.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                    "Bucket", ref(id),
                    "PolicyDocument", Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Effect", "Deny",
                            "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
        }
    }

    @Test
    void dataBucketsAreVersionedKmsEncryptedAndLogAccess() {
        for (String name : List.of("Raw", "Curated", "Quarantine")) {
            TEMPLATE.hasResource("AWS::S3::Bucket", Map.of(
                    "Properties", Match.objectLike(Map.of(
                            "VersioningConfiguration", Map.of("Status", "Enabled"),
                            "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
                                    "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms",
                                            "KMSMasterKeyID", arnOf(keyId())))))),
                            "LoggingConfiguration", Map.of("DestinationBucketName", ref(bucketId("AccessLogs")),
                                    "LogFilePrefix", name.toLowerCase() + "/"))),
                    "DeletionPolicy", "Retain"));
        }
    }

    @Test
    void rawObjectsMoveToCheaperTiers() {
        TEMPLATE.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Prefix", SPEC.buckets().rawPrefix(),
                        "Transitions", List.of(
                                Map.of("StorageClass", "STANDARD_IA", "TransitionInDays", 30),
                                Map.of("StorageClass", "GLACIER_IR", "TransitionInDays", 90)))))))));
    }
}
