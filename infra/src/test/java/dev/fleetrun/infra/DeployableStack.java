package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;
import software.amazon.awscdk.services.lambda.Code;

/**
 * The stack as an operator's {@code cdk deploy} synthesizes it: for one account and Region (the CDK CLI always names
 * them), through {@link FleetrunApp#build} with the operator's context, into a cloud assembly of its own under
 * {@code infra/target/} (the template, the asset manifest {@code <stack>.assets.json} and the staged assets), which
 * {@link CdkDeploy} deploys.
 *
 * @param name                      the CloudFormation stack name
 * @param assembly                  the cloud assembly directory ({@code cdk.out})
 * @param template                  the template file
 * @param assetManifest             the asset manifest: what {@code cdk deploy} publishes before it deploys
 * @param templateObjectUrl         where the template itself is published, {@code s3://bucket/key}: cdk deploys from there
 * @param bootstrapVersionParameter the SSM parameter that holds the bootstrap version the template checks
 * @param requiredBootstrapVersion  the lowest bootstrap version the stack accepts
 * @param templateJson              the template
 * @param nagErrors                 cdk-nag's unsuppressed findings at error level (they do not stop a synth)
 */
record DeployableStack(String name, Path assembly, Path template, Path assetManifest, String templateObjectUrl,
                       String bootstrapVersionParameter, int requiredBootstrapVersion, JsonNode templateJson,
                       List<String> nagErrors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Synthesizes the stack for {@code env} with this context into {@code infra/target/cdk.out-<label>}.
     *
     * @param code the functions' code: {@link FleetrunApp#functionsJar} for the built jar, or a stand-in
     */
    static DeployableStack synthesize(String label, Map<String, Object> context, Environment env,
                                      Function<FleetrunSettings, Code> code) {
        long start = System.nanoTime();
        App app = new App(AppProps.builder()
                .context(context)
                .outdir(Synthesized.TARGET.resolve("cdk.out-" + label).toString())
                .build());
        FleetrunStack stack = FleetrunApp.build(app, Synthesized.ROOT, code, env);
        CloudAssembly assembly = app.synth();
        CloudFormationStackArtifact artifact = assembly.getStackArtifact(stack.getArtifactId());
        Path directory = Path.of(assembly.getDirectory());
        Path manifest = directory.resolve(stack.getArtifactId() + ".assets.json");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalStateException("the cloud assembly " + directory + " has no asset manifest " + manifest.getFileName());
        }
        List<String> nagErrors = artifact.getMessages().stream()
                .filter(m -> m.getLevel() == SynthesisMessageLevel.ERROR)
                .map(m -> m.getId() + " " + m.getEntry().getData())
                .toList();
        Path template = Path.of(artifact.getTemplateFullPath());
        DeployableStack deployable = new DeployableStack(artifact.getStackName(), directory, template, manifest,
                artifact.getStackTemplateAssetObjectUrl(), artifact.getBootstrapStackVersionSsmParameter(),
                artifact.getRequiresBootstrapStackVersion().intValue(), read(template), nagErrors);
        System.out.printf("synthesized the %s stack %s for %s/%s in %d ms (cdk-nag: %d unsuppressed error(s))%n", label,
                deployable.name(), env.getAccount(), env.getRegion(), (System.nanoTime() - start) / 1_000_000, nagErrors.size());
        return deployable;
    }

    /** The template's resources of one type, by logical id. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
        templateJson.path("Resources").properties().forEach(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        });
        return found;
    }

    /** The one resource of this type, failing when there is not exactly one. */
    Map.Entry<String, JsonNode> only(String type) {
        Map<String, JsonNode> all = resources(type);
        if (all.size() != 1) {
            throw new IllegalStateException("expected one " + type + " in the template, found " + all.keySet());
        }
        return all.entrySet().iterator().next();
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
