package dev.fleetrun.catalog.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fleetrun.catalog.ConfigurationException;
import dev.fleetrun.catalog.jobs.DomainRunRequestCheck;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The jobs file: what a good one gives, and how a bad one is refused (naming the job and the field). */
class JobsFileTest {

    private static final Path JOBS = Path.of(System.getProperty("fleetrun.root", "..")).resolve("infra/src/test/resources/jobs");
    private static final RunRequestCheck CHECK = new DomainRunRequestCheck(List.of("AWS-RunShellScript", "AWS-RunPowerShellScript"));

    private static List<String> problems(String json) {
        return assertThrows(ConfigurationException.class, () -> JobsFile.parse(json, "jobs file test.json", CHECK)).problems();
    }

    /** The part of a problem that says where: {@code job 'x': field 'y'}. */
    private static String where(String problem) {
        int field = problem.indexOf(": field '");
        return problem.substring(0, problem.indexOf("'", field + ": field '".length()) + 1);
    }

    private static String job(String fields) {
        return "{\"jobs\": [{\"name\": \"nightly\", " + fields + "}]}";
    }

    private static final String REQUEST = "\"request\": {\"instanceIds\": [\"i-0a1b2c3d4e5f60718\"], \"commands\": [\"uptime\"]}";

    @Test
    void sampleFileGivesAScheduledAnAlarmAndADisabledJob() {
        List<Job> jobs = JobsFile.read(JOBS.resolve("sample-jobs.json"), CHECK);
        assertEquals(List.of("ScheduleJob weekly-patch-web true", "AlarmJob clean-logs-on-disk-full true",
                        "ScheduleJob hourly-disk-report false"),
                jobs.stream().map(j -> j.getClass().getSimpleName() + " " + j.name() + " " + j.enabled()).toList());
    }

    @Test
    void missingFileMeansNoJobs() {
        assertEquals(List.of(), JobsFile.read(JOBS.resolve("no-such-file.json"), CHECK));
    }

    @Test
    void badUnknownFieldFileNamesTheJobAndTheField() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JobsFile.read(JOBS.resolve("bad-unknown-field.json"), CHECK));
        assertEquals(List.of("job 'nightly-uptime': unknown field 'shedule' (known fields: name, description, enabled,"
                        + " schedule, alarms, targetAlarmInstance, request)",
                        "job 'nightly-uptime': give exactly one of 'schedule' (a scheduled job) and 'alarms' (an alarm job)"),
                e.problems());
    }

    @Test
    void badScheduleFileNamesTheJobTheFieldAndTheRule() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JobsFile.read(JOBS.resolve("bad-schedule.json"), CHECK));
        assertEquals(List.of("job 'nightly-uptime': field 'schedule': 'cron(0 3 * * MON *)': exactly one of day-of-month"
                + " and day-of-week must be '?' (EventBridge cannot combine both), for example cron(0 3 ? * MON-FRI *)"), e.problems());
    }

    @Test
    void badRequestFileNamesTheJobAndTheRequestField() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JobsFile.read(JOBS.resolve("bad-request.json"), CHECK));
        assertEquals(List.of("job 'weekly-patch': field 'request.maxErrors'"), e.problems().stream().map(JobsFileTest::where).toList());
    }

    @Test
    void messageNamesTheFile() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JobsFile.read(JOBS.resolve("bad-schedule.json"), CHECK));
        assertEquals("jobs file " + JOBS.resolve("bad-schedule.json") + ": 1 problem", e.getMessage().lines().findFirst().orElseThrow());
    }

    @Test
    void aJobNeedsExactlyOneOfScheduleAndAlarms() {
        assertEquals(List.of("job 'nightly': give exactly one of 'schedule' (a scheduled job) and 'alarms' (an alarm job)"),
                problems(job("\"schedule\": \"rate(1 day)\", \"alarms\": [\"a\"], " + REQUEST)));
    }

    @Test
    void namesAreUnique() {
        String one = "{\"name\": \"nightly\", \"schedule\": \"rate(1 day)\", " + REQUEST + "}";
        assertEquals(List.of("job 'nightly': field 'name': another job has the same name; names must be unique"),
                problems("{\"jobs\": [" + one + ", " + one + "]}"));
    }

    @Test
    void aJobThatTargetsTheAlarmInstanceNamesNoTargetsOfItsOwn() {
        assertEquals(List.of("job 'nightly': field 'request': with targetAlarmInstance the rule sets instanceIds from the"
                        + " alarm; remove the request's 'instanceIds'"),
                problems(job("\"alarms\": [\"disk-full\"], \"targetAlarmInstance\": true, " + REQUEST)));
    }

    @Test
    void onlyAlarmJobsTargetTheAlarmInstance() {
        assertEquals(List.of("job 'nightly': field 'targetAlarmInstance': only an alarm job can target the alarm's instance"),
                problems(job("\"schedule\": \"rate(1 day)\", \"targetAlarmInstance\": false, " + REQUEST)));
    }

    @Test
    void theRuleSetsTheTrigger() {
        assertEquals(List.of("job 'nightly': field 'request.trigger': set by the rule that starts the job; remove it"),
                problems(job("\"schedule\": \"rate(1 day)\", \"request\": {\"commands\": [\"uptime\"], \"trigger\": {}}")));
    }

    @Test
    void aDocumentOffTheAllowListIsRefused() {
        List<String> p = problems(job("\"schedule\": \"rate(1 day)\", \"request\": {\"instanceIds\": [\"i-0a1b2c3d4e5f60718\"],"
                + " \"document\": {\"name\": \"AWS-RunPatchBaseline\"}}"));
        assertEquals(List.of("job 'nightly': field 'request.document.name'"), p.stream().map(JobsFileTest::where).toList());
    }

    @Test
    void alarmNamesMustBeGiven() {
        assertEquals(List.of("job 'nightly': field 'alarms': must be a non-empty array of CloudWatch alarm names"),
                problems(job("\"alarms\": [], " + REQUEST)));
    }

    @Test
    void unknownTopLevelFieldsAreRefused() {
        assertEquals(List.of("the file: unknown field 'job' (known fields: jobs, comment)",
                        "field 'jobs': must be an array of jobs (it may be empty)"),
                problems("{\"job\": []}"));
    }

    @Test
    void invalidJsonNamesTheLine() {
        String problem = problems("{\"jobs\": [],\n}").get(0);
        assertEquals("not valid JSON ... at line 2, column 1",
                problem.substring(0, "not valid JSON".length()) + " ..." + problem.substring(problem.lastIndexOf(" at line")));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertEquals(3, problems("{\"jobs\": [{\"name\": \"a\", \"schedule\": \"rate(1 days)\", " + REQUEST + "},"
                + " {\"name\": \"b!\", \"schedule\": \"rate(2 days)\", " + REQUEST + "},"
                + " {\"name\": \"c\", \"schedule\": \"rate(2 days)\", \"request\": {\"commands\": [\"uptime\"]}}]}").size());
    }
}
