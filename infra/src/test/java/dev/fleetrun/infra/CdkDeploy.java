package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * What {@code cdk deploy --method=direct} does with a cloud assembly, against any AWS-compatible endpoint: publish the
 * file assets of the stack's asset manifest to their bucket and key (a directory zipped, as cdk-assets zips it, the
 * template itself among them), then create or update the stack from the template's published copy, and wait until it
 * settles. ({@code cdk deploy} without {@code --method} goes through a change set instead; the template, the assets
 * and the resulting stack are the same.) {@link #bootstrap} stands for {@code cdk bootstrap}, reduced to what a
 * deploy reads: the staging bucket and the version parameter.
 */
final class CdkDeploy implements AutoCloseable {

    /** The bootstrap qualifier of the default stack synthesizer. */
    static final String QUALIFIER = "hnb659fds";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(250);

    /** How the endpoint is given a template's published copy: cdk deploy's https URL, or the endpoint's own. */
    interface TemplateUrl {
        String of(String bucket, String key);
    }

    private final AwsEndpoint endpoint;
    private final TemplateUrl templateUrl;
    private final Duration settleWithin;
    private final CloudFormationClient cfn;
    private final S3Client s3;
    private final SsmClient ssm;

    /**
     * @param templateUrl  how CloudFormation on this endpoint reads a template from its S3
     * @param settleWithin how long a stack operation may take
     */
    CdkDeploy(AwsEndpoint endpoint, TemplateUrl templateUrl, Duration settleWithin) {
        this.endpoint = endpoint;
        this.templateUrl = templateUrl;
        this.settleWithin = settleWithin;
        this.cfn = endpoint.client(CloudFormationClient.builder());
        this.s3 = endpoint.s3();
        this.ssm = endpoint.client(SsmClient.builder());
    }

    /** The URL cdk deploy passes as TemplateURL: {@code https://s3.REGION.amazonaws.com/BUCKET/KEY}. */
    static TemplateUrl awsStyle(AwsEndpoint endpoint) {
        return (bucket, key) -> "https://s3." + endpoint.region().id() + ".amazonaws.com/" + bucket + "/" + key;
    }

    /** The endpoint's own path-style URL, as LocalStack's cdklocal passes it. */
    static TemplateUrl endpointStyle(AwsEndpoint endpoint) {
        return (bucket, key) -> endpoint.url().resolve("/" + bucket + "/" + key).toString();
    }

    CloudFormationClient cloudFormation() {
        return cfn;
    }

    /** The staging bucket of the default synthesizer in this account and Region. */
    String stagingBucket() {
        return "cdk-" + QUALIFIER + "-assets-" + endpoint.account() + "-" + endpoint.region().id();
    }

    /**
     * What a deploy needs of {@code cdk bootstrap}: the staging bucket, and the version parameter the template's
     * {@code BootstrapVersion} parameter reads, at the lowest version the stack accepts.
     */
    void bootstrap(DeployableStack stack) {
        CreateBucketRequest.Builder bucket = CreateBucketRequest.builder().bucket(stagingBucket());
        if (!endpoint.region().id().equals("us-east-1")) {
            bucket.createBucketConfiguration(c -> c.locationConstraint(endpoint.region().id()));
        }
        try {
            s3.createBucket(bucket.build());
        } catch (BucketAlreadyOwnedByYouException alreadyThere) {
            // bootstrapped before
        }
        ssm.putParameter(b -> b.name(stack.bootstrapVersionParameter()).type(ParameterType.STRING).overwrite(true)
                .value(Integer.toString(stack.requiredBootstrapVersion())));
    }

    /**
     * Publishes every file asset of the stack's manifest to each of its destinations.
     *
     * @return the objects written, {@code s3://bucket/key}
     */
    List<String> publish(DeployableStack stack) {
        JsonNode manifest = read(stack.assetManifest());
        List<String> published = new ArrayList<>();
        for (Map.Entry<String, JsonNode> asset : manifest.path("files").properties()) {
            JsonNode source = asset.getValue().path("source");
            Path path = stack.assembly().resolve(source.path("path").asText());
            byte[] body = "zip".equals(source.path("packaging").asText("file")) && Files.isDirectory(path) ? zip(path) : bytes(path);
            for (Map.Entry<String, JsonNode> destination : asset.getValue().path("destinations").properties()) {
                String bucket = placeholders(destination.getValue().path("bucketName").asText());
                String key = placeholders(destination.getValue().path("objectKey").asText());
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
                published.add("s3://" + bucket + "/" + key);
            }
        }
        if (!manifest.path("dockerImages").isEmpty()) {
            throw new IllegalStateException("the stack has Docker image assets, which this deploy does not publish");
        }
        return published;
    }

    /** CreateStack from the published template; returns the stack once it settled. */
    Stack create(DeployableStack stack) {
        String stackId = cfn.createStack(b -> b.stackName(stack.name()).templateURL(templateUrlOf(stack))
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND))
                .stackId();
        return settle(stackId);
    }

    /** UpdateStack from the published template; returns the stack once it settled. */
    Stack update(DeployableStack stack) {
        String stackId = cfn.updateStack(b -> b.stackName(stack.name()).templateURL(templateUrlOf(stack))
                .capabilities(Capability.CAPABILITY_IAM, Capability.CAPABILITY_NAMED_IAM, Capability.CAPABILITY_AUTO_EXPAND))
                .stackId();
        return settle(stackId);
    }

    /** DeleteStack; returns the stack (by id: a deleted stack has no name any more) once it settled. */
    Stack delete(String stackId) {
        cfn.deleteStack(b -> b.stackName(stackId));
        return settle(stackId);
    }

    /** The stack once its status is no longer {@code *_IN_PROGRESS}. */
    Stack settle(String stackId) {
        long deadline = System.nanoTime() + settleWithin.toNanos();
        while (true) {
            Stack stack = cfn.describeStacks(b -> b.stackName(stackId)).stacks().get(0);
            if (!stack.stackStatusAsString().endsWith("_IN_PROGRESS")) {
                return stack;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stack " + stackId + " still " + stack.stackStatusAsString() + " after "
                        + settleWithin.toSeconds() + " s; " + failures(stackId));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + stackId, e);
            }
        }
    }

    /** The stack's failed resource events, for a failure message. */
    String failures(String stackId) {
        List<String> failed = cfn.describeStackEventsPaginator(b -> b.stackName(stackId)).stackEvents().stream()
                .filter(e -> e.resourceStatusAsString() != null && e.resourceStatusAsString().endsWith("FAILED"))
                .map(CdkDeploy::describe)
                .toList();
        return failed.isEmpty() ? "no failed resource events" : "failed: " + String.join("; ", failed);
    }

    private static String describe(StackEvent e) {
        return e.logicalResourceId() + " (" + e.resourceType() + ") " + e.resourceStatusAsString()
                + (e.resourceStatusReason() == null ? "" : ": " + e.resourceStatusReason());
    }

    private String templateUrlOf(DeployableStack stack) {
        URI object = URI.create(placeholders(stack.templateObjectUrl()));
        if (!"s3".equals(object.getScheme())) {
            throw new IllegalStateException("the template's object URL is not s3://bucket/key: " + object);
        }
        return templateUrl.of(object.getHost(), object.getPath().substring(1));
    }

    /** The manifest's placeholders, which an environment-agnostic stack leaves for deploy time. */
    private String placeholders(String text) {
        return text.replace("${AWS::AccountId}", endpoint.account())
                .replace("${AWS::Region}", endpoint.region().id())
                .replace("${AWS::Partition}", "aws");
    }

    /** A directory asset as cdk-assets packs it: its files at the root of the archive, in name order, fixed times. */
    static byte[] zip(Path directory) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                ZipEntry entry = new ZipEntry(directory.relativize(file).toString().replace('\\', '/'));
                entry.setLastModifiedTime(FileTime.fromMillis(315_532_800_000L)); // 1980-01-01, zip's epoch
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot zip the asset " + directory, e);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the asset " + file, e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cfn.close();
        s3.close();
        ssm.close();
    }
}
