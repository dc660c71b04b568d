package dev.fleetrun.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What infra/README.md shows an operator: its shell commands and its JSON examples, as the tests compare them. */
final class InfraReadme {

    static final Path FILE = Synthesized.ROOT.resolve("infra/README.md");

    private InfraReadme() {
    }

    static String text() {
        try {
            return Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of one language ({@code bash}, {@code json}), each as its text. */
    static List<String> blocks(String language) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : text().lines().toList()) {
            String trimmed = line.trim();
            if (block == null && trimmed.equals("```" + language)) {
                block = new StringBuilder();
            } else if (block != null && trimmed.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** One command of a bash block: its words (continuation lines joined, spaces made one) and its trailing comment. */
    record Command(String text, String comment) {
    }

    /** Every command of the README's bash blocks, in order. */
    static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        for (String block : blocks("bash")) {
            StringBuilder command = new StringBuilder();
            StringBuilder comments = new StringBuilder();
            for (String line : block.lines().toList()) {
                java.util.regex.Matcher comment = java.util.regex.Pattern.compile("(^|\\s)#(.*)$").matcher(line);
                String code = line;
                if (comment.find()) {
                    comments.append(comment.group(2).trim()).append(' ');
                    code = line.substring(0, comment.start());
                }
                code = code.trim();
                boolean continues = code.endsWith("\\");
                command.append(continues ? code.substring(0, code.length() - 1) : code).append(' ');
                if (!continues) {
                    String done = command.toString().trim().replaceAll("\\s+", " ");
                    if (!done.isEmpty()) {
                        commands.add(new Command(done, comments.toString().trim()));
                    }
                    command.setLength(0);
                    comments.setLength(0);
                }
            }
        }
        return commands;
    }

    /** The words of every command, as {@link #commands()} gives them. */
    static List<String> commandLines() {
        return commands().stream().map(Command::text).toList();
    }
}
