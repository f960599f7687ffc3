package admin

import "github.com/gin-gonic/gin"

func (a *Console) sourcesRoutes(g *gin.RouterGroup) {}
