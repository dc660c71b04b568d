package dev.fleetrun.infra;

import dev.fleetrun.catalog.ConfigurationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One workflow of {@code statemachines/}: the Amazon States Language text as the file holds it (the file stays the
 * single source of the workflow, run as it is by the embedded runtime) and the {@code ${Name}} placeholders that
 * {@code DefinitionSubstitutions} must fill. The stack inlines {@link #deployedText()}: the same text with its ARNs
 * of the {@code aws} partition made placeholders too, which the stack fills in its own partition.
 *
 * @param name         the file name without {@code .asl.json}, for example {@code rolling-run}
 * @param file         where it was read from
 * @param text         the definition, verbatim
 * @param placeholders the placeholder names used in it, sorted
 */
public record WorkflowDefinition(String name, Path file, String text, Set<String> placeholders) {

    /** The suffix of workflow files. */
    public static final String SUFFIX = ".asl.json";

    /** A JSON string that is an ARN of the aws partition, such as {@code "arn:aws:states:::lambda:invoke"}. */
    private static final Pattern AWS_PARTITION_ARN = Pattern.compile("\"arn:aws:([^\"\\\\]+)\"");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public WorkflowDefinition {
        placeholders = Set.copyOf(placeholders);
    }

    /** Reads every {@code *.asl.json} of {@code directory}, by name. */
    public static List<WorkflowDefinition> readAll(Path directory) {
        List<Path> files;
        try (Stream<Path> listing = Files.isDirectory(directory) ? Files.list(directory) : Stream.empty()) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list workflow definitions in " + directory, e);
        }
        if (files.isEmpty()) {
            throw new ConfigurationException("workflows", List.of("no *" + SUFFIX + " file in " + directory
                    + "; the stack deploys the workflows of statemachines/"));
        }
        List<String> problems = new ArrayList<>();
        List<WorkflowDefinition> definitions = new ArrayList<>();
        for (Path file : files) {
            try {
                definitions.add(read(file));
            } catch (ConfigurationException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("workflows in " + directory, problems);
        }
        return List.copyOf(definitions);
    }

    /** Reads one definition file; it must be JSON and its name lower-case words joined by hyphens. */
    public static WorkflowDefinition read(Path file) {
        String fileName = file.getFileName().toString();
        String name = fileName.substring(0, fileName.length() - SUFFIX.length());
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add(fileName + ": the name before " + SUFFIX + " must be lower-case letters, digits and hyphens");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read workflow definition " + file, e);
        }
        try {
            if (!JSON.readTree(text).isObject()) {
                problems.add(fileName + ": not a JSON object");
            }
        } catch (JsonProcessingException e) {
            problems.add(fileName + ": not valid JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("workflow " + file, problems);
        }
        return new WorkflowDefinition(name, file, text, placeholdersOf(text));
    }

    private static Set<String> placeholdersOf(String text) {
        Set<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        return placeholders;
    }

    /**
     * The definition as the stack deploys it: the file's text with every string that is an ARN of the {@code aws}
     * partition (in practice the service integrations, {@code "arn:aws:states:::lambda:invoke"}) replaced by a
     * placeholder of its own ({@code "${StatesLambdaInvokeArn}"}), which {@link #partitionArns} fills with the same
     * ARN in the stack's partition: in cn-north-1 {@code arn:aws-cn:states:::lambda:invoke}. Step Functions fails a
     * task whose resource is in another partition than its execution. A whole-string placeholder, rather than
     * {@code arn:${Partition}:...}, is also what linters take for a substitution (cfn-lint's task pattern names the
     * {@code aws} partition). Nothing else changes.
     */
    public String deployedText() {
        return AWS_PARTITION_ARN.matcher(text).replaceAll(m -> Matcher.quoteReplacement("\"${" + arnPlaceholder(m.group(1)) + "}\""));
    }

    /** The placeholders of {@link #deployedText()}: those of the file and those of its ARNs. */
    public Set<String> deployedPlaceholders() {
        return placeholdersOf(deployedText());
    }

    /**
     * The values of the ARN placeholders of {@link #deployedText()}: each ARN of the file in {@code partition} (the
     * stack's, a token where the Region is unknown).
     */
    public Map<String, String> partitionArns(String partition) {
        Map<String, String> arns = new LinkedHashMap<>();
        Matcher m = AWS_PARTITION_ARN.matcher(text);
        while (m.find()) {
            arns.put(arnPlaceholder(m.group(1)), "arn:" + partition + ":" + m.group(1));
        }
        return arns;
    }

    /** {@code states:::lambda:invoke.waitForTaskToken} gives {@code StatesLambdaInvokeWaitForTaskTokenArn}. */
    static String arnPlaceholder(String arnAfterPartition) {
        StringBuilder name = new StringBuilder();
        for (String word : arnAfterPartition.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return name.append("Arn").toString();
    }

    /**
     * The substitutions the deployed definition needs, taken from {@code available}.
     *
     * @throws ConfigurationException naming each placeholder the stack has no value for
     */
    public Map<String, String> substitutions(Map<String, String> available) {
        Map<String, String> chosen = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String placeholder : deployedPlaceholders()) {
            String value = available.get(placeholder);
            if (value == null) {
                problems.add("${" + placeholder + "} has no value; the stack substitutes " + new TreeSet<>(available.keySet()));
            } else {
                chosen.put(placeholder, value);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("workflow " + file, problems);
        }
        return chosen;
    }

    /** The name in PascalCase, for construct ids and outputs: {@code rolling-run} gives {@code RollingRun}. */
    public String pascalName() {
        StringBuilder out = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return out.toString();
    }
}
