package dev.fleetrun.local.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The access key id and secret that a local endpoint accepts signatures from: the one caller it serves. Made
 * at random ({@link #generate()}), and, for {@code fleetrun serve}, kept in a file readable by the user alone
 * ({@link #loadOrCreate}) so that the user's other commands, the AWS CLI and SDKs can sign with them.
 *
 * <p>The file is in the AWS shared-credentials format, one profile {@code [default]}, so it can also be named
 * with {@code AWS_SHARED_CREDENTIALS_FILE}.
 */
public record LocalCredentials(String accessKeyId, String secretAccessKey) {
    /** The name of the file under the fleetrun home directory. */
    public static final String FILE_NAME = "credentials";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern KEY_LINE = Pattern.compile("(?m)^\\s*aws_access_key_id\\s*=\\s*(\\S+)\\s*$");
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^\\s*aws_secret_access_key\\s*=\\s*(\\S+)\\s*$");
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    public LocalCredentials {
        if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("an access key id and a secret access key are both needed");
        }
    }

    /** New credentials: an id shaped like AWS's ({@code AKIA} and 16 characters) and a 40-character secret. */
    public static LocalCredentials generate() {
        return new LocalCredentials("AKIA" + random(KEY_ALPHABET, 16), random(SECRET_ALPHABET, 40));
    }

    /**
     * The credentials kept in {@code file}, made and written there (mode 0600, its directory 0700 when it is made)
     * when there are none. A file that others may read (group or other permission bits) is not trusted: new
     * credentials replace it, and {@code warnings} is told so.
     */
    public static LocalCredentials loadOrCreate(Path file, java.util.function.Consumer<String> warnings) {
        Optional<LocalCredentials> existing = read(file);
        if (existing.isPresent()) {
            if (ownerOnly(file)) {
                return existing.get();
            }
            warnings.accept(file + " could be read by other users; it was replaced with new credentials"
                    + " (export them again: eval \"$(./fleetrun env)\")");
        }
        LocalCredentials fresh = generate();
        fresh.write(file);
        return fresh;
    }

    /** The credentials in {@code file}, if it exists and names both an id and a secret. */
    public static Optional<LocalCredentials> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local credentials in " + file + ": " + e.getMessage(), e);
        }
        Matcher key = KEY_LINE.matcher(text);
        Matcher secret = SECRET_LINE.matcher(text);
        if (!key.find() || !secret.find()) {
            return Optional.empty();
        }
        return Optional.of(new LocalCredentials(key.group(1), secret.group(1)));
    }

    /** Writes these credentials to {@code file} atomically, readable and writable by the owner alone. */
    public void write(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                if (posix(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(EnumSet.of(
                            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
                } else {
                    Files.createDirectories(dir);
                }
            }
            Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(temp);
            try {
                if (posix(dir)) {
                    Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } else {
                    Files.createFile(temp);
                }
            } catch (FileAlreadyExistsException e) {
                throw new IOException("another process is writing " + temp, e);
            }
            Files.writeString(temp, "# fleetrun serve: the only credentials its endpoint accepts. Keep this file private.\n"
                    + "[default]\naws_access_key_id = " + accessKeyId + "\naws_secret_access_key = " + secretAccessKey + "\n",
                    StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local credentials to " + file + ": " + e.getMessage()
                    + " (set FLEETRUN_HOME to a directory of your own)", e);
        }
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "LocalCredentials[" + accessKeyId + ", secret hidden]";
    }

    private static boolean ownerOnly(Path file) {
        if (!posix(file)) {
            return true;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            return OWNER_ONLY.containsAll(permissions);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String random(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
