package dev.fleetrun.infra;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import software.amazon.event.ruler.Ruler;
import software.constructs.IConstruct;

/** EventBridge rules of a synthesized template, and EventBridge's own matcher run over events/ samples. */
final class Rules {

    private Rules() {
    }

    /** The rule resource of a construct (a CDK Rule). */
    static JsonNode rule(Synthesized s, IConstruct rule) {
        return s.json.path("Resources").path(s.logicalId(rule));
    }

    static JsonNode pattern(Synthesized s, IConstruct rule) {
        return rule(s, rule).path("Properties").path("EventPattern");
    }

    /** The one target of a rule. */
    static JsonNode target(Synthesized s, IConstruct rule) {
        return rule(s, rule).path("Properties").path("Targets").path(0);
    }

    /** Whether the sample event {@code events/<name>} matches {@code pattern}, as event-ruler (EventBridge's matcher) decides. */
    static boolean matches(JsonNode pattern, String sampleEvent) {
        try {
            String event = Files.readString(Synthesized.ROOT.resolve("events").resolve(sampleEvent));
            return Ruler.matchesRule(event, pattern.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("event-ruler cannot evaluate " + pattern, e);
        }
    }
}
