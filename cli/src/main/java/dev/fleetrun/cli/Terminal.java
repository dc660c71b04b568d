package dev.fleetrun.cli;

import java.io.PrintStream;

/**
 * Where the command writes: live progress redraws one line on a terminal and prints plain lines
 * otherwise (a pipe, a CI log), so logs stay readable.
 */
public final class Terminal {
    private final PrintStream out;
    private final boolean interactive;
    private boolean lineOpen;

    public Terminal(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Standard output; interactive when a console is attached and TERM is not "dumb". */
    public static Terminal system() {
        boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new Terminal(System.out, tty);
    }

    public boolean interactive() {
        return interactive;
    }

    /** A line that stays. */
    public synchronized void line(String text) {
        if (lineOpen) {
            out.print("\r\033[K");
            lineOpen = false;
        }
        out.println(text);
        out.flush();
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

    /** A status line that the next status or line replaces; dropped when not interactive. */
    public synchronized void status(String text) {
        if (!interactive) {
            return;
        }
        out.print("\r\033[K" + text);
        out.flush();
        lineOpen = true;
    }

    /** A progress bar of {@code width} cells for done out of total. */
    static String bar(int done, int total, int width) {
        int filled = total == 0 ? width : (int) Math.round((double) done * width / total);
        return "[" + "#".repeat(Math.min(width, filled)) + ".".repeat(Math.max(0, width - filled)) + "]";
    }
}
