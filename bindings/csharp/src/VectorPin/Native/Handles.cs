using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace VectorPin.Native;

/// <summary>Base of the handle types: an owned pointer, zero when invalid.</summary>
internal abstract class VectorPinHandle : SafeHandle
{
    protected VectorPinHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void Adopt(nint value) => SetHandle(value);
}

internal sealed class SignerHandle : VectorPinHandle
{
    // The GCHandle of an external signer's callback state: released only once
    // the native signer is gone, so the callback can never run on freed state.
    private nint _callbackState;

    internal void AttachCallbackState(nint gcHandle) => _callbackState = gcHandle;

    protected override bool ReleaseHandle()
    {
        NativeMethods.vectorpin_signer_free(handle);
        if (_callbackState != 0)
        {
            GCHandle.FromIntPtr(_callbackState).Free();
            _callbackState = 0;
        }
        return true;
    }
}

internal sealed class VerifierHandle : VectorPinHandle
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.vectorpin_verifier_free(handle);
        return true;
    }
}

internal sealed class PinHandle : VectorPinHandle
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.vectorpin_pin_free(handle);
        return true;
    }
}

internal sealed class PinOptionsHandle : VectorPinHandle
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.vectorpin_pin_options_free(handle);
        return true;
    }
}

internal sealed class BatchHandle : VectorPinHandle
{
    // The verifier the native batch borrows: kept alive and frozen until the
    // workers are gone.
    private NativeObject? _verifier;

    internal void AttachVerifier(NativeObject verifier) => _verifier = verifier;

    protected override bool ReleaseHandle()
    {
        NativeMethods.vectorpin_batch_free(handle);
        _verifier?.EndBorrow();
        _verifier = null;
        return true;
    }
}

internal sealed class ExpectationsHandle : VectorPinHandle
{
    protected override bool ReleaseHandle()
    {
        NativeMethods.vectorpin_expectations_free(handle);
        return true;
    }
}

/// <summary>
/// The native object behind a facade: its handle, the facade's type for
/// <see cref="ObjectDisposedException"/>, and for mutable objects a
/// reader/writer lock.
/// </summary>
/// <remarks>
/// The C library requires exclusive access while a verifier's registry or a
/// builder changes, and allows any number of concurrent readers otherwise.
/// The lock enforces that rule in the binding, so a .NET program that
/// mutates a shared object while another thread uses it gets ordinary
/// blocking instead of a data race in native code. Immutable objects (pins,
/// signers) have no lock.
/// </remarks>
internal sealed class NativeObject
{
    private readonly VectorPinHandle _handle;
    private readonly Type _owner;
    private readonly ReaderWriterLockSlim? _lock;
    private int _borrowers;

    internal NativeObject(VectorPinHandle handle, Type owner, bool mutable)
    {
        _handle = handle;
        _owner = owner;
        _lock = mutable ? new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion) : null;
    }

    // Set by Dispose. The SafeHandle alone would not do: it only reports
    // closed once its last reference is gone, and a running call or a batch
    // borrowing the object holds one.
    private volatile bool _disposed;

    internal bool IsClosed => _disposed || _handle.IsClosed;

    internal VectorPinHandle Handle => _handle;

    /// <summary>Shared use: concurrent with other readers.</summary>
    internal HandleLease Read() => Acquire(write: false);

    /// <summary>Exclusive use, for calls that change the object.</summary>
    internal HandleLease Write() => Acquire(write: true);

    private HandleLease Acquire(bool write) => new(this, write, AddRef(write));

    /// <summary>
    /// Takes the lock and a reference; pair with <see cref="Release"/> on the
    /// same thread (the lock has thread affinity).
    /// </summary>
    internal nint AddRef(bool write)
    {
        ObjectDisposedException.ThrowIf(IsClosed, _owner);
        if (_lock is not null)
        {
            if (write) _lock.EnterWriteLock(); else _lock.EnterReadLock();
        }
        if (write && Volatile.Read(ref _borrowers) > 0)
        {
            ReleaseLock(write);
            throw new InvalidOperationException(
                $"this {_owner.Name} is in use by a running batch; dispose the batch before changing it");
        }
        bool added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            ReleaseLock(write);
            throw new ObjectDisposedException(_owner.FullName);
        }
        return _handle.DangerousGetHandle();
    }

    /// <summary>
    /// Lends the native object to a long-lived user on other threads (a
    /// streaming batch): it stays allocated, and changes to it are refused,
    /// until <see cref="EndBorrow"/>. Unlike a lease this holds no lock, so it
    /// may end on any thread.
    /// </summary>
    internal nint BeginBorrow()
    {
        nint pointer = AddRef(write: false);
        // Counted while the read lock is held, so no writer is between its
        // check and its call.
        Interlocked.Increment(ref _borrowers);
        ReleaseLock(write: false);
        return pointer;
    }

    internal void EndBorrow()
    {
        Interlocked.Decrement(ref _borrowers);
        _handle.DangerousRelease();
    }

    internal void Release(bool write)
    {
        _handle.DangerousRelease();
        ReleaseLock(write);
    }

    private void ReleaseLock(bool write)
    {
        if (_lock is null) return;
        if (write) _lock.ExitWriteLock(); else _lock.ExitReadLock();
    }

    internal void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}

/// <summary>
/// Keeps a handle alive (and, for mutable objects, locked) for one native
/// call. Disposing the facade meanwhile only marks the handle closed: the
/// native free runs when the last lease ends, never under a running call.
/// </summary>
internal ref struct HandleLease
{
    private NativeObject? _owner;
    private readonly bool _write;

    public readonly nint Pointer;

    internal HandleLease(NativeObject owner, bool write, nint pointer)
    {
        _owner = owner;
        _write = write;
        Pointer = pointer;
    }

    public void Dispose()
    {
        if (_owner is null) return;
        _owner.Release(_write);
        _owner = null;
    }
}
