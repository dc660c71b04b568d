package dev.fleetrun.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import dev.fleetrun.testing.RepoFiles;
import dev.fleetrun.testing.TestServices;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream wiring Lambda uses ({@code handleRequest(InputStream, OutputStream, Context)}): JSON
 * bytes in, JSON bytes out, through the same handlers the other component tests call directly.
 */
class HandlerJsonComponentTest {
    private final TestServices t = TestServices.start();

    @AfterEach
    void close() {
        t.close();
    }

    private static JsonNode invoke(JsonHandler handler, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, null);
        return Json.parse(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void startRunAndSendWaveTakeAndReturnJsonBytes() throws IOException {
        List<String> ids = t.addNodes(2, Map.of());
        String input = Json.write(t.startInput("stream-1", HandlerSteps.request(ids)));

        JsonNode state = invoke(new StartRunHandler(t.services()), input);

        assertEquals("STARTED", state.path("outcome").asText(), state::toString);
        assertEquals("stream-1", state.path("runId").asText());
        JsonNode sent = invoke(new SendWaveHandler(t.services()), Json.write(HandlerSteps.sendInput(state, "token-1")));
        assertEquals(Json.parse("{\"sent\":true}"), sent);
        assertEquals(1, t.aws().requests("SendCommand").size());
    }

    @Test
    void theListenerReadsASampleEventFileAsLambdaPassesIt() throws IOException {
        String sample = RepoFiles.readString(RepoFiles.eventsDir().resolve("ssm/invocation-foreign-run-shell-script.json"));

        JsonNode out = invoke(new StatusListenerHandler(t.services()), sample);

        assertEquals(0, out.path("recorded").asInt());
        assertTrue(out.path("ignored").asText().contains("not sent by fleetrun"), out::toString);
    }

    @Test
    void aTaskInputWithoutItsFieldsFailsNamingWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> invoke(new SendWaveHandler(t.services()), "{\"state\": {\"runId\": \"x\"}}"));

        assertTrue(e.getMessage().contains("SendWave needs 'taskToken'"), e.getMessage());
        assertTrue(e.getMessage().contains("[state]"), e.getMessage());
    }
}
