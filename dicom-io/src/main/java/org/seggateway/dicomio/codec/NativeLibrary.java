package org.seggateway.dicomio.codec;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** A shared library found by its Debian sonames, with its functions looked up through the foreign-function API. */
final class NativeLibrary {
    static final Linker LINKER = Linker.nativeLinker();

    private final SymbolLookup lookup;
    private final String loaded;

    private NativeLibrary(SymbolLookup lookup, String loaded) {
        this.lookup = lookup;
        this.loaded = loaded;
    }

    /** Loads the first of {@code names} the dynamic linker finds; the message says which package provides it. */
    static NativeLibrary load(List<String> names, String debianPackage) {
        UnsatisfiedLinkError last = null;
        for (String name : names) {
            try {
                return new NativeLibrary(SymbolLookup.libraryLookup(name, Arena.global()), name);
            } catch (IllegalArgumentException e) {
                last = new UnsatisfiedLinkError(e.getMessage());
            }
        }
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("none of " + names + " can be loaded; install the Debian package "
                + debianPackage);
        if (last != null) e.initCause(last);
        throw e;
    }

    /**
     * Null when {@code bind} (which loads a library and looks up its functions, e.g. by touching a holder class) succeeds;
     * otherwise why not, with the Debian package to install.
     */
    static String unavailableReason(Runnable bind) {
        try {
            bind.run();
            return null;
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            Throwable cause = e.getCause() instanceof UnsatisfiedLinkError u ? u : e;
            return cause.getMessage();
        }
    }

    MethodHandle function(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(lookup.find(name).orElseThrow(
                () -> new UnsatisfiedLinkError(loaded + " has no function " + name)), descriptor);
    }

    String name() {
        return loaded;
    }
}
