package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fleetrun.catalog.FleetrunFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading statemachines/: names, placeholders, and the errors a broken definition gives. */
class WorkflowDefinitionTest {

    @Test
    void rollingRunNamesOnlyFunctionsOfTheCatalog() {
        WorkflowDefinition rollingRun = WorkflowDefinition.readAll(Synthesized.ROOT.resolve("statemachines")).stream()
                .filter(w -> w.name().equals("rolling-run")).findFirst().orElseThrow();
        Set<String> catalog = Stream.of(FleetrunFunction.values()).map(FleetrunFunction::placeholder).collect(Collectors.toSet());
        assertEquals(Set.of(), rollingRun.placeholders().stream().filter(p -> !catalog.contains(p))
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void findsThePlaceholders(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tiny-flow.asl.json"),
                "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${FinishFunctionArn}\","
                        + " \"Next\": \"B\"}, \"B\": {\"Type\": \"Task\", \"Resource\": \"${StartRunFunctionArn}\", \"End\": true}}}");
        assertEquals(Set.of("FinishFunctionArn", "StartRunFunctionArn"), WorkflowDefinition.read(file).placeholders());
    }

    @Test
    void namesAPlaceholderTheStackCannotFill(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tiny-flow.asl.json"), "{\"Comment\": \"${TableName}\"}");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> WorkflowDefinition.read(file).substitutions(Map.of("FinishFunctionArn", "arn")));
        assertEquals(List.of("${TableName} has no value; the stack substitutes [FinishFunctionArn]"), e.problems());
    }

    private static final String INVOKE_FINISH = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\","
            + " \"Resource\": \"arn:aws:states:::lambda:invoke\", \"Parameters\": {\"FunctionName\": \"${FinishFunctionArn}\"},"
            + " \"Comment\": \"calls arn:aws:lambda\", \"End\": true}}}";

    @Test
    void deploysEachArnOfTheAwsPartitionAsAPlaceholderOfItsOwn(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tiny-flow.asl.json"), INVOKE_FINISH);
        assertEquals(INVOKE_FINISH.replace("\"arn:aws:states:::lambda:invoke\"", "\"${StatesLambdaInvokeArn}\""),
                WorkflowDefinition.read(file).deployedText());
    }

    @Test
    void theDeployedDefinitionNeedsItsFunctionsAndItsArns(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tiny-flow.asl.json"), INVOKE_FINISH);
        assertEquals(Set.of("FinishFunctionArn", "StatesLambdaInvokeArn"), WorkflowDefinition.read(file).deployedPlaceholders());
    }

    @Test
    void fillsTheArnsInTheGivenPartition(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("tiny-flow.asl.json"), INVOKE_FINISH);
        assertEquals(Map.of("StatesLambdaInvokeArn", "arn:aws-cn:states:::lambda:invoke"),
                WorkflowDefinition.read(file).partitionArns("aws-cn"));
    }

    @Test
    void namesAnArnPlaceholderAfterTheArn() {
        assertEquals("StatesLambdaInvokeWaitForTaskTokenArn", WorkflowDefinition.arnPlaceholder("states:::lambda:invoke.waitForTaskToken"));
    }

    @Test
    void refusesADefinitionThatIsNotJson(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.asl.json"), "{\"StartAt\": \"A\",\n \"States\": }");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> WorkflowDefinition.readAll(dir));
        assertEquals("broken.asl.json: not valid JSON", e.problems().get(0).substring(0, e.problems().get(0).indexOf(" (")));
    }

    @Test
    void refusesAnEmptyDirectory(@TempDir Path dir) {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> WorkflowDefinition.readAll(dir));
        assertEquals(List.of("no *.asl.json file in " + dir + "; the stack deploys the workflows of statemachines/"), e.problems());
    }

    @Test
    void givesConstructIdsInPascalCase() {
        assertEquals("RollingRun", new WorkflowDefinition("rolling-run", Path.of("x"), "{}", Set.of()).pascalName());
    }
}
