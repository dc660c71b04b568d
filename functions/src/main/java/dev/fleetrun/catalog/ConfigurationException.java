package dev.fleetrun.catalog;

import java.util.List;

/**
 * A deployment setting (CDK context) or a jobs file that fleetrun cannot deploy. It carries every problem found, each
 * naming where it is (the context key, or the job and its field) and what would be accepted, so one synth tells the
 * operator everything to fix. The CDK app and {@code fleetrun serve --jobs} print the message and exit non-zero instead of a stack trace.
 */
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * @param subject  what was read, for example {@code "jobs file infra/jobs.json"} or {@code "context"}
     * @param problems at least one problem, each a sentence naming the field
     */
    public ConfigurationException(String subject, List<String> problems) {
        super(format(subject, problems));
        this.problems = List.copyOf(problems);
    }

    private static String format(String subject, List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
        }
        StringBuilder message = new StringBuilder(subject).append(": ")
                .append(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
        for (String problem : problems) {
            message.append(System.lineSeparator()).append("  - ").append(problem);
        }
        return message.toString();
    }

    /** The problems, one sentence each, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
