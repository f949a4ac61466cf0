package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.bucketId;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.logicalId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Capture;
import software.amazon.awscdk.assertions.Match;

/** {@link Warehouse} in the synthesized default stack: the VPC, the Redshift Serverless namespace and workgroup, the COPY role. */
class WarehouseTest {

    @Test
    void workgroupIsNotPublicAndRoutesThroughTheVpcsIsolatedSubnetsInThreeZones() {
        Capture subnets = new Capture();
        TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Workgroup", Map.of(
                "PubliclyAccessible", false,
                "EnhancedVpcRouting", true,
                "SubnetIds", subnets));
        assertThat(subnets.asArray()).hasSize(3);
        TEMPLATE.resourceCountIs("AWS::EC2::InternetGateway", 0);
        TEMPLATE.resourceCountIs("AWS::EC2::NatGateway", 0);
        TEMPLATE.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
        TEMPLATE.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
                "GroupDescription", Match.stringLikeRegexp("Redshift Serverless.*"),
                "SecurityGroupIngress", Match.absent()));
    }

    @Test
    void adminPasswordComesFromSecretsManagerAndTheNamespaceIsEncrypted() {
        String secret = logicalId("AWS::SecretsManager::Secret", Map.of());
        TEMPLATE.hasResourceProperties("AWS::SecretsManager::Secret", Map.of("KmsKeyId", arnOf(keyId())));
        TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Namespace", Map.of(
                "DbName", SPEC.warehouse().database(),
                "AdminUserPassword", Map.of("Fn::Join", List.of("", List.of("{{resolve:secretsmanager:", ref(secret),
                        ":SecretString:password::}}"))),
                "KmsKeyId", arnOf(keyId())));
    }

    @Test
    void copyRoleReadsTheRawAndCuratedBucketsAndNothingElse() {
        Capture roles = new Capture();
        TEMPLATE.hasResourceProperties("AWS::RedshiftServerless::Namespace", Map.of("IamRoles", roles));
        @SuppressWarnings("unchecked")
        String role = (String) ((List<Object>) ((Map<String, Object>) roles.asArray().get(0)).get("Fn::GetAtt")).get(0);
        Map<String, Map<String, Object>> policies = TEMPLATE.findResources("AWS::IAM::Policy", Map.of("Properties",
                Match.objectLike(Map.of("Roles", List.of(ref(role))))));
        assertThat(policies).hasSize(1);
        String document = policies.values().iterator().next().toString();
        assertThat(document).contains(bucketId("Raw"), bucketId("Curated"), keyId())
                .doesNotContain(bucketId("Quarantine"), bucketId("AccessLogs"), "s3:Put", "s3:Delete", "\"*\"");
    }
}
