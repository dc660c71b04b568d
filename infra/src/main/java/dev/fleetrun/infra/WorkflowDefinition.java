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
 * single source of the workflow; the stack inlines it unchanged) and the {@code ${Name}} placeholders that
 * {@code DefinitionSubstitutions} must fill.
 *
 * @param name         the file name without {@code .asl.json}, for example {@code rolling-run}
 * @param file         where it was read from
 * @param text         the definition, verbatim
 * @param placeholders the placeholder names used in it, sorted
 */
public record WorkflowDefinition(String name, Path file, String text, Set<String> placeholders) {

    /** The suffix of workflow files. */
    public static final String SUFFIX = ".asl.json";

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
        Set<String> placeholders = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        return new WorkflowDefinition(name, file, text, placeholders);
    }

    /**
     * The substitutions this definition needs, taken from {@code available}.
     *
     * @throws ConfigurationException naming each placeholder the stack has no value for
     */
    public Map<String, String> substitutions(Map<String, String> available) {
        Map<String, String> chosen = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String placeholder : new TreeSet<>(placeholders)) {
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
