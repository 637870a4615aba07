// The memory and unload tests measure the whole process (heap, load contexts): other tests running beside them
// would add noise, so this assembly's tests run one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
