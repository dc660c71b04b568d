package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.cli.embedded.EmbeddedRuntime;
import dev.fleetrun.cli.embedded.RuntimeFile;
import dev.fleetrun.local.FleetrunHome;
import dev.fleetrun.local.wire.LocalCredentials;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Opens the {@link Backend} that {@link ConnectionOptions} name. */
final class Connections {
    static final String LOCAL_STATE_MACHINE = EmbeddedRuntime.STATE_MACHINE_NAME;

    private Connections() {
    }

    static Backend open(ConnectionOptions o, Terminal terminal) {
        if (o.aws()) {
            return aws(o);
        }
        String endpoint = o.endpoint != null ? o.endpoint : System.getenv("FLEETRUN_ENDPOINT");
        if (endpoint != null) {
            return endpoint(URI.create(endpoint), "the runtime at " + endpoint, null, serveCredentials());
        }
        Optional<RuntimeFile.Entry> running = RuntimeFile.running();
        if (running.isPresent() && o.fleetFile == null && o.nodes == null) {
            return endpoint(running.get().endpoint(), "the fleetrun serve on " + running.get().endpoint(), null,
                    serveCredentials());
        }
        EmbeddedRuntime runtime = EmbeddedRuntime.start(EmbeddedRuntime.Options.from(o, 0));
        terminal.line("fleetrun: embedded runtime with " + runtime.fleetSize() + " simulated node(s) on " + runtime.endpoint());
        return endpoint(runtime.endpoint(), "the embedded runtime", runtime, runtime.credentialsProvider());
    }

    /**
     * What a command signs its calls to a {@code fleetrun serve} with: the credentials serve keeps under
     * {@code $FLEETRUN_HOME}, else the AWS SDK's own chain (for a serve of another home, through
     * {@code eval "$(fleetrun env --endpoint URL)"} run as its user).
     */
    static AwsCredentialsProvider serveCredentials() {
        return LocalCredentials.read(FleetrunHome.credentialsFile())
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    private static Backend endpoint(URI uri, String description, AutoCloseable owned, AwsCredentialsProvider credentials) {
        Region region = Region.US_EAST_1;
        var http = UrlConnectionHttpClient.builder().build();
        SfnClient sfn = SfnClient.builder().endpointOverride(uri).region(region).credentialsProvider(credentials).httpClient(http).build();
        SsmClient ssm = SsmClient.builder().endpointOverride(uri).region(region).credentialsProvider(credentials).httpClient(http).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(uri).region(region).credentialsProvider(credentials).httpClient(http).build();
        List<StateMachineListItem> machines;
        try {
            machines = sfn.listStateMachinesPaginator(b -> { }).stateMachines().stream().toList();
        } catch (SfnException e) {
            if (e.statusCode() != 403) {
                throw e;
            }
            closeQuietly(owned);
            throw new UsageException(description + " refused fleetrun's credentials (" + e.awsErrorDetails().errorCode()
                    + "): the credentials in " + FleetrunHome.credentialsFile() + " are not the ones it was started with."
                    + " Is it another user's serve, or one started with another FLEETRUN_HOME? Use that FLEETRUN_HOME,"
                    + " or restart it with ./fleetrun serve");
        }
        String arn = machines.stream()
                .filter(m -> LOCAL_STATE_MACHINE.equals(m.name())).map(StateMachineListItem::stateMachineArn).findFirst()
                .orElseThrow(() -> new UsageException(description + " has no state machine " + LOCAL_STATE_MACHINE
                        + ": is it a fleetrun runtime? Start one with: ./fleetrun serve"));
        return new Backend(description, sfn, ssm, dynamo, arn, EmbeddedRuntime.TABLE, Duration.ofMillis(250), owned,
                () -> OutputClients.forEndpoint(uri, region, credentials, http));
    }

    private static void closeQuietly(AutoCloseable owned) {
        if (owned != null) {
            try {
                owned.close();
            } catch (Exception e) {
                // already failing: the first error is the one to tell
            }
        }
    }

    private static Backend aws(ConnectionOptions o) {
        AwsCredentialsProvider credentials = o.profile != null
                ? ProfileCredentialsProvider.create(o.profile) : DefaultCredentialsProvider.builder().build();
        Region region = o.region != null ? Region.of(o.region) : regionFromEnvironment();
        var http = UrlConnectionHttpClient.builder().build();
        Map<String, String> outputs;
        try (CloudFormationClient cfn = CloudFormationClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build()) {
            outputs = cfn.describeStacks(b -> b.stackName(o.stack)).stacks().get(0).outputs().stream()
                    .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
        } catch (CloudFormationException e) {
            throw new UsageException("cannot read stack " + o.stack + " in " + region + ": " + e.awsErrorDetails().errorMessage()
                    + ". Deploy it (see infra/README.md) or name it with --stack.");
        }
        String arn = required(outputs, "RollingRunStateMachineArn", o.stack);
        String table = required(outputs, "TableName", o.stack);
        SfnClient sfn = SfnClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build();
        SsmClient ssm = SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build();
        DynamoDbClient dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http).build();
        Backend backend = new Backend("stack " + o.stack + " in " + region, sfn, ssm, dynamo, arn, table, Duration.ofSeconds(3), null,
                () -> OutputClients.forAws(region, credentials, http));
        backend.actor(() -> GateControl.awsPrincipal(region, credentials, http));
        return backend;
    }

    private static Region regionFromEnvironment() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            throw new UsageException("no AWS Region: give --region, or set AWS_REGION or a region in your profile");
        }
    }

    private static String required(Map<String, String> outputs, String key, String stack) {
        String v = outputs.get(key);
        if (v == null) {
            throw new UsageException("stack " + stack + " has no output " + key + ": is it a fleetrun stack?");
        }
        return v;
    }

    static JsonNode parse(String json) {
        return json == null ? null : Json.parse(json);
    }
}
