package dev.fleetrun.local.ssm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.model.DocumentDescription;
import software.amazon.awssdk.services.ssm.model.DocumentFormat;
import software.amazon.awssdk.services.ssm.model.DocumentIdentifier;
import software.amazon.awssdk.services.ssm.model.DocumentParameter;
import software.amazon.awssdk.services.ssm.model.DocumentVersionInfo;
import software.amazon.awssdk.services.ssm.model.GetDocumentResponse;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** The document operations through the SDK's SsmClient: versions, defaults, formats, lists and SSM's errors. */
class DocumentsComponentTest {
    private SsmSimulation sim;
    private String deploy;

    @BeforeEach
    void start() throws IOException {
        sim = SsmSimulation.start(SsmSimulation.nodes(1));
        deploy = Files.readString(DocumentParserTest.documents().resolve("deploy.yaml"));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private DocumentDescription create(String name) {
        return sim.client.createDocument(r -> r.name(name).documentType("Command").documentFormat(DocumentFormat.YAML)
                .content(deploy)).documentDescription();
    }

    private static String errorCode(Runnable call) {
        return assertThrows(SsmException.class, call::run).awsErrorDetails().errorCode();
    }

    @Test
    void aCreatedYamlDocumentIsDescribedWithItsParametersPlatformsAndVersions() {
        DocumentDescription created = create("Deploy-App");
        DocumentDescription described = sim.client.describeDocument(r -> r.name("Deploy-App")).document();

        assertEquals("Creating", created.statusAsString());
        assertEquals("Active", described.statusAsString());
        assertEquals(List.of("1", "1", "1"), List.of(described.documentVersion(), described.defaultVersion(),
                described.latestVersion()));
        assertEquals("123456789012", described.owner());
        assertEquals("2.2", described.schemaVersion());
        assertEquals("YAML", described.documentFormatAsString());
        assertEquals("Command", described.documentTypeAsString());
        assertEquals(List.of("Windows", "Linux", "MacOS"), described.platformTypesAsStrings());
        assertEquals("Sha256", described.hashTypeAsString());
        assertEquals(64, described.hash().length());
        assertEquals(List.of("version String null", "channel String {{ssm:/fleetrun-test/channel}}",
                "checks StringList [\"test -s current\"]", "executionTimeout String 600"),
                described.parameters().stream().map(p -> p.name() + " " + p.typeAsString() + " " + p.defaultValue()).toList());
        assertEquals("The release to deploy, such as 1.4.2", described.parameters().get(0).description());
    }

    @Test
    void updatesMakeVersionsAndTheDefaultMovesOnlyWhenAsked() {
        create("Deploy-App");
        String v2 = deploy.replace("echo \"verified {{ version }}\"", "echo \"verified {{ version }} again\"");

        DocumentDescription updated = sim.client.updateDocument(r -> r.name("Deploy-App").documentVersion("$LATEST")
                .documentFormat(DocumentFormat.YAML).content(v2)).documentDescription();
        DocumentDescription byDefault = sim.client.describeDocument(r -> r.name("Deploy-App")).document();
        String movedTo = sim.client.updateDocumentDefaultVersion(r -> r.name("Deploy-App").documentVersion("2"))
                .description().defaultVersion();
        List<DocumentVersionInfo> versions = sim.client.listDocumentVersions(r -> r.name("Deploy-App")).documentVersions();

        assertEquals(List.of("Updating", "2", "1", "2"), List.of(updated.statusAsString(), updated.documentVersion(),
                updated.defaultVersion(), updated.latestVersion()));
        assertEquals("1", byDefault.documentVersion(), "a new version is not the default until made so");
        assertEquals("2", movedTo);
        assertEquals(List.of("1 false", "2 true"), versions.stream()
                .map(v -> v.documentVersion() + " " + v.isDefaultVersion()).toList());
        assertEquals(v2, sim.client.getDocument(r -> r.name("Deploy-App")).content());
        assertEquals(deploy, sim.client.getDocument(r -> r.name("Deploy-App").documentVersion("1")).content());
    }

    @Test
    void ssmsVersionErrorsAreAnsweredAsSsmAnswersThem() {
        create("Deploy-App");
        String v2 = deploy + "\n# a comment makes new content\n";
        sim.client.updateDocument(r -> r.name("Deploy-App").documentFormat(DocumentFormat.YAML).content(v2));

        assertEquals("DocumentAlreadyExists", errorCode(() -> create("Deploy-App")));
        assertEquals("DuplicateDocumentContent", errorCode(() -> sim.client.updateDocument(r -> r.name("Deploy-App")
                .documentFormat(DocumentFormat.YAML).content(deploy))));
        assertEquals("InvalidDocumentVersion", errorCode(() -> sim.client.updateDocument(r -> r.name("Deploy-App")
                .documentVersion("1").documentFormat(DocumentFormat.YAML).content(deploy + "\n# again\n"))));
        assertEquals("InvalidDocumentVersion", errorCode(() -> sim.client.describeDocument(r -> r.name("Deploy-App")
                .documentVersion("7"))));
        assertEquals("InvalidDocumentVersion", errorCode(() -> sim.client.updateDocumentDefaultVersion(r -> r
                .name("Deploy-App").documentVersion("3"))));
        assertEquals("InvalidDocument", errorCode(() -> sim.client.describeDocument(r -> r.name("No-Such-Doc"))));
        assertEquals("InvalidDocumentOperation", errorCode(() -> sim.client.deleteDocument(r -> r.name("Deploy-App")
                .documentVersion("1"))), "the default version can't be deleted");
        assertEquals("ValidationException", errorCode(() -> create("AWS-MyScript")), "AWS's names are reserved");
        assertEquals("InvalidDocumentOperation", errorCode(() -> sim.client.updateDocument(r -> r
                .name("AWS-RunShellScript").content("{\"schemaVersion\": \"2.2\"}"))));
        SsmException invalid = assertThrows(SsmException.class, () -> sim.client.createDocument(r -> r.name("Broken")
                .documentFormat(DocumentFormat.YAML).content(deploy.replace("echo \"verified {{ version }}\"", "echo \"verified {{ release }}\""))));
        assertEquals("InvalidDocumentContent", invalid.awsErrorDetails().errorCode());
        assertTrue(invalid.awsErrorDetails().errorMessage().contains("step verify input runCommand: {{ release }} names no"
                + " parameter of the document"), invalid.awsErrorDetails().errorMessage());
    }

    @Test
    void getDocumentWritesTheContentInTheFormatAskedFor() {
        create("Deploy-App");

        GetDocumentResponse json = sim.client.getDocument(r -> r.name("Deploy-App").documentFormat(DocumentFormat.JSON));

        assertEquals("JSON", json.documentFormatAsString());
        assertTrue(json.content().trim().startsWith("{"), json.content());
        assertTrue(json.content().contains("\"name\" : \"unpackWindows\""), json.content());
        assertEquals(List.of("1", "Active", "Command"), List.of(json.documentVersion(), json.statusAsString(),
                json.documentTypeAsString()));
    }

    @Test
    void listDocumentsShowsAwssAndOwnDocumentsByOwnerNameAndPlatform() {
        create("Deploy-App");
        sim.client.createDocument(r -> r.name("Shell-Only").content("{\"schemaVersion\": \"2.2\", \"mainSteps\": [{\"action\":"
                + " \"aws:runShellScript\", \"name\": \"run\", \"inputs\": {\"runCommand\": [\"uptime\"]}}]}"));

        List<String> all = names(sim.client.listDocuments(r -> { }).documentIdentifiers());
        List<String> own = names(sim.client.listDocuments(r -> r.filters(f -> f.key("Owner").values("Self")))
                .documentIdentifiers());
        List<String> amazon = names(sim.client.listDocuments(r -> r.filters(f -> f.key("Owner").values("Amazon")))
                .documentIdentifiers());
        List<String> windows = names(sim.client.listDocuments(r -> r.filters(f -> f.key("PlatformTypes").values("Windows")))
                .documentIdentifiers());
        List<String> prefixed = names(sim.client.listDocuments(r -> r.filters(f -> f.key("Name").values("Deploy")))
                .documentIdentifiers());

        assertEquals(List.of("AWS-RunPowerShellScript", "AWS-RunShellScript", "Deploy-App", "Shell-Only"), all);
        assertEquals(List.of("Deploy-App", "Shell-Only"), own);
        assertEquals(List.of("AWS-RunPowerShellScript", "AWS-RunShellScript"), amazon);
        assertEquals(List.of("AWS-RunPowerShellScript", "Deploy-App"), windows);
        assertEquals(List.of("Deploy-App"), prefixed);
        assertEquals("InvalidFilterKey", errorCode(() -> sim.client.listDocuments(r -> r.filters(f -> f.key("Colour")
                .values("red")))));
    }

    @Test
    void theAwsDocumentsThatFleetrunUsesArePresentWithTheirRealContent() {
        DocumentDescription shell = sim.client.describeDocument(r -> r.name("AWS-RunShellScript")).document();
        GetDocumentResponse powerShell = sim.client.getDocument(r -> r.name("AWS-RunPowerShellScript"));

        assertEquals(List.of("Amazon", "1.2", "[Linux, MacOS]"), List.of(shell.owner(), shell.schemaVersion(),
                shell.platformTypesAsStrings().toString()));
        assertEquals(List.of("commands", "workingDirectory", "executionTimeout"),
                shell.parameters().stream().map(DocumentParameter::name).toList());
        assertEquals("3600", shell.parameters().get(2).defaultValue());
        assertTrue(powerShell.content().contains("\"aws:runPowerShellScript\""), powerShell.content());
    }

    @Test
    void deletingADocumentLeavesTheCommandsThatRanIt() {
        create("Deploy-App");
        sim.client.putParameter(r -> r.name("/fleetrun-test/channel").type(ParameterType.STRING).value("stable"));
        String commandId = sim.client.sendCommand(r -> r.documentName("Deploy-App").instanceIds(SsmSimulation.id(1))
                .parameters(Map.of("version", List.of("1.0.0")))).command().commandId();
        sim.await(commandId);

        sim.client.deleteDocument(r -> r.name("Deploy-App"));

        assertEquals("InvalidDocument", errorCode(() -> sim.client.describeDocument(r -> r.name("Deploy-App"))));
        assertEquals("Success", sim.client.listCommands(r -> r.commandId(commandId)).commands().get(0).statusAsString());
        assertEquals("InvalidDocument", errorCode(() -> sim.client.sendCommand(r -> r.documentName("Deploy-App")
                .instanceIds(SsmSimulation.id(1)))));
    }

    private static List<String> names(List<DocumentIdentifier> identifiers) {
        return identifiers.stream().map(DocumentIdentifier::name).toList();
    }
}
