package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
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

    private Connections() {
    }

    /**
     * The deployment a command about runs that exist goes to (status, logs, history, stop, approve, ...): the
     * deployed stack, the serve named by --endpoint or FLEETRUN_ENDPOINT, or this user's serve of this checkout
     * (serve.json). It never starts a runtime: one started for this command would have no run to tell of. The
     * first line on standard error says where it went.
     */
    static Backend open(ConnectionOptions o, Terminal terminal) {
        return open(o, terminal, false);
    }

    /** As {@link #open(ConnectionOptions, Terminal)}, or a one-shot embedded runtime when no serve is there (run, plan). */
    static Backend openOrStart(ConnectionOptions o, Terminal terminal) {
        return open(o, terminal, true);
    }

    private static Backend open(ConnectionOptions o, Terminal terminal, boolean mayStart) {
        if (o.aws()) {
            Backend b = aws(o);
            terminal.note("fleetrun: " + b.description() + (o.profile != null ? " (profile " + o.profile + ")"
                    : System.getenv("AWS_PROFILE") != null && o.region == null ? " (AWS_PROFILE " + System.getenv("AWS_PROFILE") + ")" : ""));
            return b;
        }
        String endpoint = o.endpoint != null ? o.endpoint : System.getenv("FLEETRUN_ENDPOINT");
        if (endpoint != null) {
            URI uri = endpointUri(endpoint, o.endpoint != null ? "--endpoint" : "FLEETRUN_ENDPOINT");
            terminal.note("fleetrun: the runtime at " + uri + " (" + (o.endpoint != null ? "--endpoint" : "FLEETRUN_ENDPOINT") + ")");
            return endpoint(uri, "the runtime at " + endpoint, null, serveCredentials());
        }
        if (mayStart && (o.fleetFile != null || o.nodes != null)) {
            return oneShot(o, terminal, (o.fleetFile != null ? "--fleet" : "--nodes") + " asks for a simulated fleet of its own");
        }
        return switch (RuntimeFile.lookup()) {
            case RuntimeFile.Found.Running r -> {
                terminal.note("fleetrun: " + r.entry().describe() + ", found in " + r.file());
                yield endpoint(r.entry().endpoint(), "the fleetrun serve on " + r.entry().endpoint(), null, serveCredentials());
            }
            case RuntimeFile.Found.OtherCheckout other -> throw otherCheckout(other);
            case RuntimeFile.Found.Stale stale -> {
                if (!mayStart) {
                    throw new Fleetrun.NotFound(stale.why());
                }
                terminal.note("fleetrun: " + stale.why());
                yield oneShot(o, terminal, "the serve is gone");
            }
            case RuntimeFile.Found.Nothing nothing -> {
                if (!mayStart) {
                    throw new Fleetrun.NotFound(noServe(nothing));
                }
                yield oneShot(o, terminal, "no fleetrun serve is running for " + FleetrunHome.directory());
            }
        };
    }

    /** This user's serve of this checkout, named on standard error; {@link Fleetrun.NotFound} saying why there is none. */
    static RuntimeFile.Entry serve(Terminal terminal) {
        return switch (RuntimeFile.lookup()) {
            case RuntimeFile.Found.Running r -> {
                terminal.note("fleetrun: " + r.entry().describe() + ", found in " + r.file());
                yield r.entry();
            }
            case RuntimeFile.Found.OtherCheckout other -> throw otherCheckout(other);
            case RuntimeFile.Found.Stale stale -> throw new Fleetrun.NotFound(stale.why());
            case RuntimeFile.Found.Nothing nothing -> throw new Fleetrun.NotFound(noServe(nothing));
        };
    }

    private static String noServe(RuntimeFile.Found.Nothing nothing) {
        return "no fleetrun serve is running for " + FleetrunHome.directory() + " (no " + nothing.file().getFileName()
                + " there): start one with ./fleetrun serve, name one with --endpoint URL, or give --profile or --region"
                + " for the deployed stack";
    }

    private static Fleetrun.NotFound otherCheckout(RuntimeFile.Found.OtherCheckout other) {
        return new Fleetrun.NotFound(other.file() + " names " + other.entry().describe() + ", started from another"
                + " checkout, " + other.entry().checkout() + " (this is " + other.here() + "); it is not used without"
                + " being named: use it with --endpoint " + other.entry().endpoint() + ", or start one for this checkout"
                + " with a home of its own: FLEETRUN_HOME=DIR ./fleetrun serve (and the same FLEETRUN_HOME for its commands)");
    }

    private static URI endpointUri(String endpoint, String where) {
        try {
            URI uri = URI.create(endpoint);
            if (uri.getHost() == null || uri.getScheme() == null) {
                throw new IllegalArgumentException("no scheme and host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + " " + endpoint + ": write a URL such as http://127.0.0.1:4599");
        }
    }

    private static Backend oneShot(ConnectionOptions o, Terminal terminal, String why) {
        terminal.note("fleetrun: " + why + ": starting a one-shot embedded runtime for this command (its records go"
                + " with it; ./fleetrun serve keeps them) ...");
        OneShotRuntime.Started runtime = OneShotRuntime.start(o);
        terminal.note("fleetrun: a one-shot embedded runtime with " + runtime.fleetSize() + " simulated node(s) on "
                + runtime.endpoint() + " (work dir " + runtime.workDir() + ", removed at the end)");
        return endpoint(runtime.endpoint(), "the embedded runtime", runtime.runtime(), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(runtime.accessKeyId(), runtime.secretAccessKey())));
    }

    /**
     * What a command signs its calls to a {@code fleetrun serve} with: the credentials serve keeps under
     * {@code $FLEETRUN_HOME}, else the AWS SDK's own chain (for a serve of another home, through
     * {@code eval "$(fleetrun env --endpoint URL)"} run as its user).
     */
    static AwsCredentialsProvider serveCredentials() {
        return localCredentials()
                .<AwsCredentialsProvider>map(c -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    /** The credentials serve keeps under FLEETRUN_HOME, if any; a file that cannot be read is a usage error. */
    static Optional<LocalCredentials> localCredentials() {
        try {
            return LocalCredentials.read(FleetrunHome.credentialsFile());
        } catch (java.io.UncheckedIOException e) {
            throw new UsageException(e.getMessage() + ". Make it readable by you (chmod 600), or remove it and restart"
                    + " ./fleetrun serve, which makes new ones");
        }
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
                .filter(m -> LocalNames.STATE_MACHINE.equals(m.name())).map(StateMachineListItem::stateMachineArn).findFirst()
                .orElseThrow(() -> new UsageException(description + " has no state machine " + LocalNames.STATE_MACHINE
                        + ": is it a fleetrun runtime? Start one with: ./fleetrun serve"));
        return new Backend(description, sfn, ssm, dynamo, arn, LocalNames.TABLE, Duration.ofMillis(250), owned,
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
