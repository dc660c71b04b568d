package dev.fleetrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetrun.aws.Json;
import java.io.PrintStream;

/**
 * Where the command writes: live progress redraws one line on a terminal and prints plain lines
 * otherwise (a pipe, a CI log), so logs stay readable. With {@code --output json} the human lines go to
 * standard error ({@link #forJson()}) and standard output carries the one JSON document alone.
 */
public final class Terminal {
    private final PrintStream out;
    private final PrintStream err;
    private final PrintStream documents;
    private final boolean interactive;
    private Terminal json;
    /** The terminal's width, to keep the status line on one row (a wrapped one cannot be redrawn); 0: unknown. */
    private int columns;
    private boolean lineOpen;
    private volatile boolean muted;

    public Terminal(PrintStream out, boolean interactive) {
        this(out, System.err, interactive);
    }

    /** Lines to {@code out}; with {@code --output json}, lines to {@code err} and the document to {@code out}. */
    public Terminal(PrintStream out, PrintStream err, boolean interactive) {
        this(out, err, out, interactive);
    }

    private Terminal(PrintStream out, PrintStream err, PrintStream documents, boolean interactive) {
        this.out = out;
        this.err = err;
        this.documents = documents;
        this.interactive = interactive;
    }

    /** Standard output; interactive when a console is attached and TERM is not "dumb". */
    public static Terminal system() {
        boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        Terminal t = new Terminal(System.out, System.err, tty);
        if (tty) {
            t.columns = columns();
        }
        return t;
    }

    public boolean interactive() {
        return interactive;
    }

    /**
     * The terminal a command uses with {@code --output json}: its lines go to standard error, plain (no status
     * line), and {@link #document} writes to standard output.
     */
    public synchronized Terminal forJson() {
        if (json == null) {
            json = new Terminal(err, err, documents, false);
            if (muted) {
                json.muted = true;
            }
        }
        return json;
    }

    /** The one JSON document of {@code --output json}, on standard output. */
    public synchronized void document(JsonNode document) {
        documents.println(Json.write(document));
        documents.flush();
    }

    /** Stops every further line and status (after Ctrl-C, when another thread tells the end). */
    public void mute() {
        muted = true;
        Terminal j;
        synchronized (this) {
            j = json;
        }
        if (j != null) {
            j.mute();
        }
    }

    /** A line that stays. */
    public synchronized void line(String text) {
        if (muted) {
            return;
        }
        closeStatus();
        out.println(text);
        out.flush();
    }

    /** A line written even when muted: what the interrupt handler says. */
    public synchronized void say(String text) {
        closeStatus();
        out.println(text);
        out.flush();
    }

    private void closeStatus() {
        if (lineOpen) {
            out.print("\r\033[K");
            lineOpen = false;
        }
    }

    /** The width of the controlling terminal (stty size), else $COLUMNS, else 80. */
    private static int columns() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim();
            if (p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0 && size.matches("\\d+ \\d+")) {
                int cols = Integer.parseInt(size.split(" ")[1]);
                if (cols > 0) {
                    return cols;
                }
            }
        } catch (java.io.IOException e) {
            // no stty or no /dev/tty: fall back
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String env = System.getenv("COLUMNS");
        return env != null && env.matches("\\d+") && Integer.parseInt(env) > 0 ? Integer.parseInt(env) : 80;
    }

    /** A status line that the next status or line replaces (cut to the terminal's width); dropped when not interactive. */
    public synchronized void status(String text) {
        if (!interactive || muted) {
            return;
        }
        String shown = columns > 1 && text.length() >= columns ? text.substring(0, columns - 4) + "..." : text;
        out.print("\r\033[K" + shown);
        out.flush();
        lineOpen = true;
    }

    /** A progress bar of {@code width} cells for done out of total. */
    static String bar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) Math.round((double) done * width / total);
        return "[" + "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled)) + "]";
    }

    /**
     * A line on standard error, taken at the time of the call: where a command went (its first line) and other
     * notes, kept off standard output so that it stays the command's answer (--output json, $(fleetrun ...)).
     */
    public void note(String text) {
        PrintStream err = System.err;
        err.println(text);
        err.flush();
    }
}
