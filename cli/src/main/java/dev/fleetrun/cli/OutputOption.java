package dev.fleetrun.cli;

import picocli.CommandLine.Option;

/** {@code --output text|json}: the mixin of every command that prints a run, a plan, nodes or runs. */
public final class OutputOption {
    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", defaultValue = "text",
            description = "text (default) or json: one JSON document on standard output (schema fleetrun.cli/1,"
                    + " docs/cli-json.md), every other line on standard error; exit codes unchanged.")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }

    /** The terminal a command writes its lines to: standard error with --output json. */
    Terminal lines(Terminal terminal) {
        return json() ? terminal.forJson() : terminal;
    }
}
