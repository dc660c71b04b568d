package dev.fleetrun.local.sfn.choice;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The timestamps of the States Language: RFC 3339 profile of ISO 8601, with an upper-case T between date and
 * time and an offset or an upper-case Z ({@code 2016-03-14T01:59:00Z}, {@code 2016-03-14T01:59:00.123+01:00}).
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** The instant a timestamp names, or {@code null} when the text is not a timestamp. */
    public static Instant parse(String text) {
        if (text == null || text.indexOf('T') < 0 || text.indexOf('t') >= 0 || text.indexOf('z') >= 0) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
