digraph valuegrad {
	graph [fontname=Helvetica labelloc=t nslimit=2 rankdir=LR]
	node [fontname=Helvetica fontsize=11]
	edge [color="#868e96" fontname=Helvetica fontsize=9]
	v0 [label="a\ndata 2.0000\ngrad -0.0001" fillcolor="#e7f5ff" shape=box style="rounded,filled"]
	v1 [label="b\ndata -3.0000\ngrad 0.0000" fillcolor="#e7f5ff" shape=box style="rounded,filled"]
	v2 [label="data -6.0000\ngrad 0.0000" fillcolor="#ffffff" shape=box style="rounded,filled"]
	v2op [label="×" fillcolor="#fff3bf" fixedsize=false margin=0.02 shape=circle style=filled width=0.3]
	v3 [label="data -1.0000\ngrad 1.0000" fillcolor="#ffd8a8" penwidth=2.5 shape=box style="rounded,filled"]
	v3op [label=tanh fillcolor="#fff3bf" fixedsize=false margin=0.02 shape=circle style=filled width=0.3]
	{
		rank=same
		v0
		v1
		v0 -> v1 [style=invis]
	}
	v0 -> v2op
	v1 -> v2op
	v2op -> v2
	v2 -> v3op
	v3op -> v3
}
