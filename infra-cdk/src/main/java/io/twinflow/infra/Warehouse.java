package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.FlowLog;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogResourceType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.iam.CompositePrincipal;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.redshiftserverless.CfnNamespace;
import software.amazon.awscdk.services.redshiftserverless.CfnWorkgroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Redshift Serverless in private isolated subnets, never publicly accessible. Clients reach it through
 * the Redshift Data API (loader Lambda, Glue job, {@code twinflow query}), so no network path into the
 * VPC exists or is needed. COPY reads S3 through a gateway endpoint (enhanced VPC routing) with a role
 * that can read the raw and curated buckets and nothing else.
 */
public final class Warehouse extends Construct {

    static final String ADMIN_USER = "twinflow_admin";

    public final Vpc vpc;
    public final SecurityGroup securityGroup;
    public final Secret adminSecret;
    public final Role copyRole;
    public final CfnNamespace namespace;
    public final CfnWorkgroup workgroup;
    public final String workgroupName;

    public record Props(PipelineSpec spec, IKey key, IBucket rawBucket, IBucket curatedBucket, RemovalPolicy removalPolicy) {
    }

    public Warehouse(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec spec = props.spec();
        String name = spec.prefix() + "-warehouse";
        workgroupName = name;

        // Redshift Serverless wants subnets in three Availability Zones.
        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr("10.42.0.0/16"))
                .maxAzs(3)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("warehouse").subnetType(SubnetType.PRIVATE_ISOLATED).cidrMask(24).build()))
                .build();
        vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder()
                .service(GatewayVpcEndpointAwsService.S3)
                .subnets(List.of(SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build()))
                .build());
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(RetentionDays.ONE_MONTH)
                .encryptionKey(props.key())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        FlowLog.Builder.create(this, "FlowLog")
                .resourceType(FlowLogResourceType.fromVpc(vpc))
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .build();

        securityGroup = SecurityGroup.Builder.create(this, "SecurityGroup")
                .vpc(vpc)
                .description("Redshift Serverless workgroup: no inbound rules, the Data API needs none")
                // Isolated subnets route nowhere but to the S3 gateway endpoint, which COPY needs.
                .allowAllOutbound(true)
                .build();

        adminSecret = Secret.Builder.create(this, "AdminSecret")
                .description("Redshift Serverless admin credentials (Data API secret of the loader and the Glue job)")
                .encryptionKey(props.key())
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"" + ADMIN_USER + "\"}")
                        .generateStringKey("password")
                        // Characters Redshift refuses in a password.
                        .excludeCharacters("\"'\\/@ ")
                        .passwordLength(32)
                        .requireEachIncludedType(true)
                        .build())
                .removalPolicy(props.removalPolicy())
                .build();
        NagSuppressions.addResourceSuppressions(adminSecret, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SMG4")
                .reason("Rotating a Redshift Serverless password needs a rotation Lambda inside the isolated VPC plus "
                        + "Secrets Manager and Redshift interface endpoints; the secret is only read by the Data API "
                        + "under the loader's and Glue job's roles. The README documents manual rotation.")
                .build()));

        copyRole = Role.Builder.create(this, "CopyRole")
                .assumedBy(new CompositePrincipal(
                        new ServicePrincipal("redshift.amazonaws.com"),
                        new ServicePrincipal("redshift-serverless.amazonaws.com")))
                .description("Lets Redshift COPY from the Twinflow raw and curated buckets, and nothing else")
                .build();
        props.rawBucket().grantRead(copyRole);
        props.curatedBucket().grantRead(copyRole);

        namespace = CfnNamespace.Builder.create(this, "Namespace")
                .namespaceName(name)
                .dbName(spec.warehouse().database())
                .adminUsername(ADMIN_USER)
                .adminUserPassword(adminSecret.secretValueFromJson("password").unsafeUnwrap())
                .kmsKeyId(props.key().getKeyArn())
                .iamRoles(List.of(copyRole.getRoleArn()))
                .defaultIamRoleArn(copyRole.getRoleArn())
                .logExports(List.of("userlog", "connectionlog", "useractivitylog"))
                .build();
        namespace.applyRemovalPolicy(props.removalPolicy());

        workgroup = CfnWorkgroup.Builder.create(this, "Workgroup")
                .workgroupName(name)
                .namespaceName(name)
                // The smallest base capacity: the hourly load and a daily rollup are short bursts.
                .baseCapacity(spec.deployment().warehouseBaseRpu())
                .publiclyAccessible(false)
                .enhancedVpcRouting(true)
                .subnetIds(vpc.getIsolatedSubnets().stream().map(s -> s.getSubnetId()).toList())
                .securityGroupIds(List.of(securityGroup.getSecurityGroupId()))
                .configParameters(List.of(
                        CfnWorkgroup.ConfigParameterProperty.builder().parameterKey("require_ssl").parameterValue("true").build(),
                        CfnWorkgroup.ConfigParameterProperty.builder().parameterKey("enable_user_activity_logging").parameterValue("true").build()))
                .build();
        workgroup.addResourceDependency(namespace);
        workgroup.applyRemovalPolicy(props.removalPolicy());
    }

    /**
     * What a Data API client (the loader, the Glue job) needs: run statements on this workgroup, read
     * their results, and read the admin secret.
     */
    public void grantDataApi(IGrantable grantee) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"))
                .resources(List.of(workgroup.getAttrWorkgroupWorkgroupArn()))
                .build());
        // These Data API actions take no resource ARN; the condition limits them to the caller's own statements.
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("redshift-data:DescribeStatement", "redshift-data:GetStatementResult",
                        "redshift-data:CancelStatement", "redshift-data:ListStatements"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("redshift-data:statement-owner-iam-userid", "${aws:userid}")))
                .build());
        adminSecret.grantRead(grantee);
    }
}
