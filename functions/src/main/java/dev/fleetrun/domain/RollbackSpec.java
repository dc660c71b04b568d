package dev.fleetrun.domain;

import java.util.List;

/**
 * What a run does on the nodes in {@code scope} after a breach: run {@code commands} (shorthand for the shell
 * document that the main command used, see {@link TargetResolver}) or {@code document}; exactly one of the two.
 *
 * @param commands shell lines, empty when {@code document} is given
 * @param document the rollback document, {@code null} when {@code commands} are given
 * @param scope    which nodes roll back; {@link RollbackScope#SUCCEEDED} when {@code null}
 */
public record RollbackSpec(List<String> commands, DocumentSpec document, RollbackScope scope) {

    public RollbackSpec {
        commands = commands == null ? List.of() : List.copyOf(commands);
        if (commands.isEmpty() == (document == null)) {
            throw new IllegalArgumentException("a rollback has either commands or a document, not both and not neither");
        }
        scope = scope == null ? RollbackScope.SUCCEEDED : scope;
    }
}
