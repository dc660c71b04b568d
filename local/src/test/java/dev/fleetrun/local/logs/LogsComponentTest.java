package dev.fleetrun.local.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fleetrun.local.testing.LocalClients;
import dev.fleetrun.local.wire.AwsServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * The simulated CloudWatch Logs through the AWS SDK for Java's own {@link CloudWatchLogsClient} (2.42.33 over the
 * 2.41.28 core, as the build pins it): every operation, its paging, and its errors as the SDK's exceptions.
 */
class LogsComponentTest {
    private final AwsServer server = AwsServer.start(0);
    private final LogsService logs = new LogsService(Clock.systemUTC(), "us-east-1", "123456789012").serveOn(server);
    private final CloudWatchLogsClient client = LocalClients.logs(server);

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    @Test
    void groupsStreamsAndEventsThroughTheSdk() {
        client.createLogGroup(b -> b.logGroupName("/fleetrun/output"));
        client.createLogGroup(b -> b.logGroupName("/aws/ssm/AWS-RunShellScript"));
        assertThrows(ResourceAlreadyExistsException.class, () -> client.createLogGroup(b -> b.logGroupName("/fleetrun/output")));
        var groups = client.describeLogGroups(b -> b.logGroupNamePrefix("/fleetrun")).logGroups();
        assertEquals(List.of("/fleetrun/output"), groups.stream().map(g -> g.logGroupName()).toList());
        assertEquals("arn:aws:logs:us-east-1:123456789012:log-group:/fleetrun/output:*", groups.get(0).arn());
        assertEquals(List.of("/aws/ssm/AWS-RunShellScript", "/fleetrun/output"),
                client.describeLogGroupsPaginator(b -> b.limit(1)).logGroups().stream().map(g -> g.logGroupName()).toList());

        client.createLogStream(b -> b.logGroupName("/fleetrun/output").logStreamName("cmd/i-1/aws-runShellScript/stdout"));
        client.createLogStream(b -> b.logGroupName("/fleetrun/output").logStreamName("cmd/i-1/aws-runShellScript/stderr"));
        long t = System.currentTimeMillis();
        List<InputLogEvent> lines = IntStream.range(0, 30).mapToObj(i -> InputLogEvent.builder().timestamp(t + i)
                .message("line " + i + (i % 10 == 0 ? " ERROR" : "")).build()).toList();
        client.putLogEvents(b -> b.logGroupName("/fleetrun/output").logStreamName("cmd/i-1/aws-runShellScript/stdout").logEvents(lines));
        client.putLogEvents(b -> b.logGroupName("/fleetrun/output").logStreamName("cmd/i-1/aws-runShellScript/stderr")
                .logEvents(InputLogEvent.builder().timestamp(t + 5).message("warning: disk ERROR").build()));

        List<LogStream> streams = client.describeLogStreams(b -> b.logGroupName("/fleetrun/output")).logStreams();
        assertEquals(List.of("cmd/i-1/aws-runShellScript/stderr", "cmd/i-1/aws-runShellScript/stdout"),
                streams.stream().map(LogStream::logStreamName).toList());
        assertEquals(t + 29, streams.get(1).lastEventTimestamp());
        assertEquals("cmd/i-1/aws-runShellScript/stdout", client.describeLogStreams(b -> b.logGroupName("/fleetrun/output")
                .orderBy(OrderBy.LAST_EVENT_TIME).descending(true).limit(1)).logStreams().get(0).logStreamName());

        // Forward from the head, 7 at a time, to the end: the paginator stops when the token comes back unchanged.
        List<String> read = new ArrayList<>();
        client.getLogEventsPaginator(b -> b.logGroupName("/fleetrun/output").logStreamName("cmd/i-1/aws-runShellScript/stdout")
                .startFromHead(true).limit(7)).events().forEach(e -> read.add(e.message()));
        assertEquals(lines.stream().map(InputLogEvent::message).toList(), read);
        List<OutputLogEvent> tail = client.getLogEvents(b -> b.logGroupName("/fleetrun/output")
                .logStreamName("cmd/i-1/aws-runShellScript/stdout").limit(2)).events();
        assertEquals(List.of("line 28", "line 29"), tail.stream().map(OutputLogEvent::message).toList());

        List<FilteredLogEvent> errors = client.filterLogEventsPaginator(b -> b.logGroupName("/fleetrun/output")
                .filterPattern("ERROR").limit(2)).events().stream().toList();
        assertEquals(List.of("line 0 ERROR", "warning: disk ERROR", "line 10 ERROR", "line 20 ERROR"),
                errors.stream().map(FilteredLogEvent::message).toList());
        assertEquals("cmd/i-1/aws-runShellScript/stderr", errors.get(1).logStreamName());
        assertEquals(List.of("line 1", "line 11"), client.filterLogEvents(b -> b.logGroupName("/fleetrun/output")
                .logStreamNamePrefix("cmd/i-1/aws-runShellScript/stdout").filterPattern("?\"line 1\" -ERROR -\"line 1 \"")
                .endTime(t + 12)).events().stream().map(FilteredLogEvent::message).toList());

        client.deleteLogGroup(b -> b.logGroupName("/aws/ssm/AWS-RunShellScript"));
        assertEquals(List.of("/fleetrun/output"), client.describeLogGroups().logGroups().stream().map(g -> g.logGroupName()).toList());
    }

    @Test
    void missingGroupsAndStreamsAndBadNamesAreTheServicesErrors() {
        assertThrows(ResourceNotFoundException.class, () -> client.describeLogStreams(b -> b.logGroupName("/nope")));
        assertThrows(ResourceNotFoundException.class, () -> client.createLogStream(b -> b.logGroupName("/nope").logStreamName("s")));
        client.createLogGroup(b -> b.logGroupName("g"));
        ResourceNotFoundException stream = assertThrows(ResourceNotFoundException.class, () -> client.putLogEvents(b -> b
                .logGroupName("g").logStreamName("missing").logEvents(InputLogEvent.builder().timestamp(1L).message("m").build())));
        assertEquals("The specified log stream does not exist.", stream.awsErrorDetails().errorMessage());
        InvalidParameterException invalid = assertThrows(InvalidParameterException.class,
                () -> client.createLogGroup(b -> b.logGroupName("bad name!")));
        assertTrue(invalid.awsErrorDetails().errorMessage().contains("at 'logGroupName' failed to satisfy constraint"),
                invalid.awsErrorDetails().errorMessage());
        client.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        assertThrows(InvalidParameterException.class, () -> client.putLogEvents(b -> b.logGroupName("g").logStreamName("s")
                .logEvents(InputLogEvent.builder().timestamp(2L).message("later").build(),
                        InputLogEvent.builder().timestamp(1L).message("earlier").build())));
        assertEquals(List.of(), logs.events("g", "s"));
    }
}
