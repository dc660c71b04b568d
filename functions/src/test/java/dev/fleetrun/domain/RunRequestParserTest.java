package dev.fleetrun.domain;

import static dev.fleetrun.domain.TestJson.json;
import static dev.fleetrun.domain.TestJson.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunRequestParserTest {

    static final RunRequestParser PARSER = new RunRequestParser(RunRequestParser.DEFAULT_ALLOWED_DOCUMENTS);

    /** DESIGN's example request, with one of targets/instanceIds and one of document/commands. */
    static final String DESIGN_EXAMPLE = """
            {
              'name': 'restart-web',
              'targets': [{'key': 'tag:Environment', 'values': ['production']},
                          {'key': 'tag:Role', 'values': ['web']}],
              'document': {'name': 'AWS-RunShellScript', 'version': '$DEFAULT',
                           'parameters': {'commands': ['systemctl restart nginx'], 'executionTimeout': ['600']}},
              'maxConcurrency': '25%',
              'maxErrors': '2',
              'waves': [1, '10%', '50%', '100%'],
              'bakeSeconds': 0,
              'approvalAfterWave': 0,
              'alarms': ['web-5xx-high'],
              'rollback': {'commands': ['/opt/app/rollback.sh']},
              'timeoutSeconds': 600,
              'output': {'s3Bucket': 'ops-output', 's3KeyPrefix': 'fleetrun', 'cloudWatchLogGroup': '/fleetrun/output'},
              'comment': 'Rolling restart',
              'dryRun': false
            }""";

    static InvalidInputException rejected(String singleQuotedJson) {
        return assertThrows(InvalidInputException.class, () -> PARSER.parse(json(singleQuotedJson)));
    }

    static List<String> fields(InvalidInputException e) {
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void readsTheDesignExample() {
        RunRequest r = PARSER.parse(json(DESIGN_EXAMPLE));

        assertEquals("restart-web", r.name());
        assertEquals(List.of(new TargetSpec("tag:Environment", List.of("production")),
                new TargetSpec("tag:Role", List.of("web"))), r.targets());
        assertEquals(List.of(), r.instanceIds());
        assertEquals(new DocumentSpec("AWS-RunShellScript", "$DEFAULT", Map.of(
                "commands", List.of("systemctl restart nginx"), "executionTimeout", List.of("600"))), r.document());
        assertEquals(List.of(), r.commands());
        assertFalse(r.usesCommands());
        assertEquals(Rate.percentage(25), r.maxConcurrency());
        assertEquals(Rate.count(2), r.maxErrors());
        assertEquals(List.of(new WaveSize(1, false), new WaveSize(10, true), new WaveSize(50, true),
                new WaveSize(100, true)), r.waves());
        assertEquals(List.of("web-5xx-high"), r.alarms());
        assertEquals(new RollbackSpec(List.of("/opt/app/rollback.sh"), null, RollbackScope.SUCCEEDED), r.rollback());
        assertEquals(new OutputSpec("ops-output", "fleetrun", "/fleetrun/output"), r.output());
        assertEquals("Rolling restart", r.comment());
        assertFalse(r.dryRun());
        assertNull(r.trigger());
    }

    @Test
    void aMinimalRequestGetsEveryDefault() {
        RunRequest r = PARSER.parse(json("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime']}"));

        assertEquals(new RunRequest("run", List.of(), List.of("i-0123456789abcdef0"), null, List.of("uptime"),
                Rate.count(50), Rate.count(0), List.of(), 0, 0, List.of(), null, 600, null, null, false, null), r);
        assertTrue(r.usesCommands());
    }

    @Test
    void nullFieldsCountAsAbsent() {
        RunRequest r = PARSER.parse(json("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'targets': null, 'document': null, 'name': null, 'maxErrors': null, 'waves': null, 'rollback': null,"
                + " 'output': null, 'dryRun': null, 'trigger': null, 'version': null, 'maxConcurrency': null,"
                + " 'bakeSeconds': null, 'approvalAfterWave': null, 'alarms': null, 'timeoutSeconds': null, 'comment': null}"));
        RunRequest omitted = PARSER.parse(json("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime']}"));
        assertEquals(omitted, r, "a field set to JSON null means the same as leaving it out (README: Run request)");
        assertEquals("run", r.name());
        assertEquals(Rate.count(0), r.maxErrors());
        assertEquals(Rate.count(50), r.maxConcurrency());
        assertEquals(0, r.bakeSeconds());
    }

    @Test
    void ratesAcceptJsonIntegers() {
        RunRequest r = PARSER.parse(json("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'maxConcurrency': 2, 'maxErrors': 0}"));
        assertEquals(Rate.count(2), r.maxConcurrency());
        assertEquals(Rate.count(0), r.maxErrors());
    }

    @Test
    void keepsTheTriggerAndTheOtherOptionalFields() {
        RunRequest r = PARSER.parse(json("{'version': 1, 'targets': [{'key': 'resource-groups:Name', 'values': ['web-tier']},"
                + " {'key': 'tag-key', 'values': ['Patch', 'Role']}], 'commands': ['yum -y update'], 'dryRun': true,"
                + " 'bakeSeconds': 300, 'approvalAfterWave': 2, 'timeoutSeconds': 5,"
                + " 'output': {'cloudWatchLogGroup': '/aws/ssm/fleetrun'},"
                + " 'rollback': {'document': {'name': 'AWS-RunShellScript', 'version': '2', 'parameters':"
                + " {'commands': ['undo'], 'executionTimeout': [60]}}, 'scope': 'Touched'},"
                + " 'trigger': {'type': 'schedule', 'rule': 'nightly'}}"));

        assertTrue(r.dryRun());
        assertEquals(300, r.bakeSeconds());
        assertEquals(2, r.approvalAfterWave());
        assertEquals(5, r.timeoutSeconds());
        assertEquals(new OutputSpec(null, null, "/aws/ssm/fleetrun"), r.output());
        assertEquals(new RollbackSpec(List.of(), new DocumentSpec("AWS-RunShellScript", "2",
                Map.of("commands", List.of("undo"), "executionTimeout", List.of("60"))), RollbackScope.TOUCHED), r.rollback());
        assertEquals(json("{'type': 'schedule', 'rule': 'nightly'}"), r.trigger());
    }

    @Test
    void reportsEveryErrorAtOnceInFieldOrder() {
        InvalidInputException e = rejected("""
                {'surprise': true, 'timeoutSeconds': 1, 'waves': [0], 'maxErrors': 1.5,
                 'name': 'bad name', 'targets': [{'key': 'Name', 'values': ['x']}], 'commands': ['uptime'],
                 'document': {'name': 'AWS-RunShellScript', 'parameters': {'commands': ['uptime']}}}""");

        assertEquals(List.of("name", "targets[0].key", "commands", "maxErrors", "waves[0]", "timeoutSeconds", "surprise"),
                fields(e));
        assertTrue(e.getMessage().startsWith("invalid run request: name: must be 1 to 64 letters"), e.getMessage());
        assertEquals("invalid run request: " + e.errors().stream().map(FieldError::toString)
                .collect(java.util.stream.Collectors.joining("; ")), e.getMessage());
        assertEquals("Fleetrun.InvalidInput", InvalidInputException.ERROR);
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatCame() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'], 'maxErrors': true}");
        assertEquals(List.of(new FieldError("maxErrors", "must be a string such as \"2\" or \"10%\", got a boolean")),
                e.errors());

        InvalidInputException number = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'], 'maxErrors': 2.5}");
        assertEquals("must be a string such as \"2\" or \"10%\", got a number (2.5)", number.errors().get(0).reason());
    }

    @Test
    void unknownFieldsAreNamedWithTheKnownOnes() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'], 'maxConcurency': '5',"
                + " 'colour': 'blue'}");

        assertEquals(List.of("maxConcurency", "colour"), fields(e));
        String reason = e.errors().get(0).reason();
        assertTrue(reason.startsWith("unknown field; did you mean \"maxConcurrency\"?"), reason);
        assertTrue(reason.contains("Known fields: version, name, targets, instanceIds, document, commands, maxConcurrency,"
                + " maxErrors, waves, bakeSeconds, approvalAfterWave, alarms, rollback, timeoutSeconds, output, comment,"
                + " dryRun, trigger"), reason);
        assertFalse(e.errors().get(1).reason().contains("did you mean"), e.errors().get(1).reason());
    }

    @Test
    void unknownNestedFieldsNameTheirPathAndSuggestByCase() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'],"
                + " 'document': {'Name': 'AWS-RunShellScript', 'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x']}}}");
        assertEquals(List.of("document.Name"), fields(e));
        assertTrue(e.errors().get(0).reason().contains("did you mean \"name\"? Known fields of document: name, version, parameters"),
                e.errors().get(0).reason());
    }

    @Test
    void commandsTogetherWithDocumentIsAnError() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'document': {'name': 'AWS-RunShellScript', 'parameters': {'commands': ['uptime']}}}");
        assertEquals(List.of("commands"), fields(e));
        assertTrue(e.errors().get(0).reason().startsWith("give either document or commands, not both"),
                e.errors().get(0).reason());
    }

    @Test
    void neitherCommandsNorDocumentIsAnError() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0']}");
        assertEquals(List.of("document"), fields(e));
        assertTrue(e.errors().get(0).reason().startsWith("a run needs something to run"), e.errors().get(0).reason());
    }

    @Test
    void targetsTogetherWithInstanceIdsIsAnError() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'targets': [{'key': 'tag:Role', 'values': ['web']}]}");
        assertEquals(List.of(new FieldError("targets", "give either targets or instanceIds, not both")), e.errors());
    }

    @Test
    void neitherTargetsNorInstanceIdsIsAnError() {
        InvalidInputException e = rejected("{'commands': ['uptime']}");
        assertEquals(List.of("targets"), fields(e));
        assertTrue(e.errors().get(0).reason().startsWith("a run needs nodes"), e.errors().get(0).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "'run'", "42", "null"})
    void aRequestThatIsNotAnObjectIsRejected(String request) {
        InvalidInputException e = rejected(request);
        assertEquals(List.of("request"), fields(e));
    }

    @Test
    void aMissingRequestIsRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PARSER.parse(null));
        assertEquals("must be a JSON object such as {\"targets\": [...], \"commands\": [...]}, got nothing",
                e.errors().get(0).reason());
    }

    @Test
    void aDocumentOffTheAllowListNamesTheAllowedOnesAndTheSetting() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'],"
                + " 'document': {'name': 'AWS-ApplyPatchBaseline'}}");
        assertEquals(List.of(new FieldError("document.name", "\"AWS-ApplyPatchBaseline\" is not allowed in this"
                + " deployment; allowed: AWS-RunPowerShellScript, AWS-RunShellScript. The list is the deployment setting"
                + " FLEETRUN_ALLOWED_DOCUMENTS")), e.errors());
    }

    @Test
    void theAllowListAppliesToTheRollbackDocument() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'rollback': {'document': {'name': 'MyOrg-Undo'}}}");
        assertEquals(List.of("rollback.document.name"), fields(e));
    }

    @Test
    void aCustomAllowListIsHonoured() {
        RunRequestParser parser = new RunRequestParser(Set.of("MyOrg-Patch"));
        RunRequest r = parser.parse(json("{'instanceIds': ['i-0123456789abcdef0'], 'document': {'name': 'MyOrg-Patch'}}"));
        assertEquals(new DocumentSpec("MyOrg-Patch", "$DEFAULT", Map.of()), r.document());

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> parser.parse(json("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime']}")));
        assertEquals(List.of("commands"), fields(e));
        assertTrue(e.errors().get(0).reason().contains("neither is allowed in this deployment; use a document instead,"
                + " one of MyOrg-Patch"), e.errors().get(0).reason());
    }

    @Test
    void anEmptyAllowListAllowsNoDocument() {
        RunRequestParser parser = new RunRequestParser(Set.of());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> parser.parse(json(
                "{'instanceIds': ['i-0123456789abcdef0'], 'document': {'name': 'AWS-RunShellScript', 'parameters': {'commands': ['x']}}}")));
        assertTrue(e.errors().get(0).reason().contains("(none: no document is allowed)"), e.errors().get(0).reason());
    }

    @Test
    void aBareStringParameterIsToldToBeWrappedInAList() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'],"
                + " 'document': {'name': 'AWS-RunShellScript', 'parameters': {'commands': 'uptime'}}}");
        assertEquals(List.of(new FieldError("document.parameters.commands", "must be a list of strings, as SSM takes every"
                + " parameter, got a string (wrap the value in a list: [\"uptime\"])")), e.errors());
    }

    @Test
    void duplicateInstanceIdsAreReportedWithTheFirstPlace() {
        InvalidInputException e = rejected("{'commands': ['uptime'], 'instanceIds': ['i-0123456789abcdef0', 'i-01234567',"
                + " 'i-0123456789abcdef0']}");
        assertEquals(List.of(new FieldError("instanceIds[2]",
                "i-0123456789abcdef0 is listed twice (also at instanceIds[0]); list each node once")), e.errors());
    }

    @Test
    void manyBadEntriesAreCappedWithACountOfTheRest() {
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        IntStream.range(0, 25).forEach(i -> ids.add("bad-" + i));
        ObjectNode request = object("{'commands': ['uptime']}");
        request.set("instanceIds", ids);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PARSER.parse(request));

        assertEquals(11, e.errors().size());
        assertEquals("instanceIds[9]", e.errors().get(9).field());
        assertEquals(new FieldError("instanceIds",
                "15 more invalid entries are not listed here; fix the ones above and look again"), e.errors().get(10));
    }

    @Test
    void moreThanTenThousandInstanceIdsAreRejected() {
        ArrayNode ids = JsonNodeFactory.instance.arrayNode();
        IntStream.range(0, 10_001).forEach(i -> ids.add(String.format("i-%017x", i)));
        ObjectNode request = object("{'commands': ['uptime']}");
        request.set("instanceIds", ids);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PARSER.parse(request));
        assertEquals(List.of("instanceIds"), fields(e));
        assertTrue(e.errors().get(0).reason().startsWith("must list at most 10000 ids, got 10001"));

        ids.remove(10_000);
        assertEquals(10_000, PARSER.parse(request).instanceIds().size());
    }

    @Test
    void commandsOf64KilobytesOrMoreAreRejected() {
        String line = "x".repeat(1023);   // 1 KiB with its line break
        ObjectNode request = object("{'instanceIds': ['i-0123456789abcdef0']}");
        ArrayNode commands = request.putArray("commands");
        IntStream.range(0, 63).forEach(i -> commands.add(line));
        assertEquals(63, PARSER.parse(request).commands().size());

        commands.add(line);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PARSER.parse(request));
        assertEquals(List.of("commands"), fields(e));
        assertTrue(e.errors().get(0).reason().startsWith("add up to 65536 bytes"), e.errors().get(0).reason());
    }

    @Test
    void rollbackNeedsExactlyOneOfCommandsAndDocument() {
        InvalidInputException neither = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'rollback': {'scope': 'touched'}}");
        assertEquals(List.of("rollback"), fields(neither));

        InvalidInputException both = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'rollback': {'commands': ['undo'], 'document': {'name': 'AWS-RunShellScript', 'parameters': {'commands': ['undo']}}}}");
        assertEquals(List.of("rollback.commands"), fields(both));
    }

    @Test
    void aMisspeltRollbackFieldIsNamedAndTheMissingPartToo() {
        InvalidInputException e = rejected("{'instanceIds': ['i-0123456789abcdef0'], 'commands': ['uptime'],"
                + " 'rollback': {'command': ['undo']}}");
        assertEquals(List.of("rollback.command", "rollback"), fields(e));
        assertTrue(e.errors().get(0).reason().contains("did you mean \"commands\"?"), e.errors().get(0).reason());
    }

    @Test
    void theJsonFormParsesBackToTheSameRequest() {
        RunRequest design = PARSER.parse(json(DESIGN_EXAMPLE));
        assertEquals(design, PARSER.parse(design.toJson()));

        RunRequest other = PARSER.parse(json("{'instanceIds': ['i-0123456789abcdef0', 'mi-0123456789abcdef0'],"
                + " 'commands': ['uptime', 'df -h'], 'maxErrors': '10%', 'waves': [2, '50%'], 'dryRun': true,"
                + " 'rollback': {'document': {'name': 'AWS-RunShellScript', 'version': '$LATEST', 'parameters': {'commands': ['undo']}},"
                + " 'scope': 'touched'}, 'output': {'s3Bucket': 'my.bucket-1'}, 'trigger': {'alarm': 'x'}}"));
        ObjectNode written = other.toJson();
        assertEquals(other, PARSER.parse(written));
        assertEquals(1, written.get("version").asInt());
        assertEquals("10%", written.get("maxErrors").asText());
    }
}
