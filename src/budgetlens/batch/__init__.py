"""Many documents: folders in, each document read once by content, in worker processes or as Ray
tasks, its outputs written as one set with its rows in the folder's store, a stopped run carried on."""
